/**
 * The acceptance check of a hosted environment: the same caps (libs/flags DEFAULT_TREE_LIMITS) on
 * the same files (every regular file under the environment root, symlinks and submodules ignored)
 * and the same loader and compiler (libs/flags) that a data-plane instance applies before serving
 * a revision. Run on pushes (pre-receive hook, on the quarantined objects) and on every API write,
 * so a revision the control plane accepts is one that instances will serve.
 *
 * No Nest and no database here: the pre-receive hook process imports this module directly.
 */
import {
  compileEnvironment,
  DEFAULT_TREE_LIMITS,
  formatDiagnostic,
  isSwitchyardError,
  loadEnvironment,
  toFieldViolations,
  errors,
  type Diagnostic,
  type TreeLimits,
} from '@switchyard/flags';
import type { GitStore } from '@switchyard/git-store';

/**
 * Errors that would make an instance refuse `rev` (a commit or tree id) for an environment rooted
 * at `directory`; empty when instances will serve it. Sizes are checked from the listing, before
 * any content is read, so a 60 MB blob is refused without loading it. `content: false` checks the
 * limits only, for callers that already loaded the whole resulting environment with libs/flags.
 */
export async function checkTree(
  store: GitStore,
  rev: string,
  directory: string,
  options: { content?: boolean; limits?: TreeLimits } = {},
): Promise<Diagnostic[]> {
  const limits = options.limits ?? DEFAULT_TREE_LIMITS;
  const entries = await store.files(rev, directory, { sizes: true });
  if (entries === null)
    return [
      diagnostic(
        'directory-missing',
        `the environment directory "${directory}" does not exist in this commit`,
      ),
    ];
  const capped = checkTreeLimits(entries, limits);
  if (capped.length > 0 || options.content === false) return capped;
  return checkContent(await store.readFiles(entries));
}

/** The tree caps, reported for every file over them (not only the first). */
export function checkTreeLimits(
  entries: readonly { path: string; size: number }[],
  limits: TreeLimits,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  let total = 0;
  for (const e of entries) {
    total += e.size;
    if (e.size > limits.maxFileBytes)
      out.push(
        diagnostic(
          'file-too-large',
          `file is ${e.size} bytes, over the ${limits.maxFileBytes}-byte limit (instances refuse it)`,
          { file: e.path },
        ),
      );
  }
  if (entries.length > limits.maxFiles)
    out.push(
      diagnostic(
        'too-many-files',
        `${entries.length} files under the environment root, more than the limit of ${limits.maxFiles}`,
      ),
    );
  if (total > limits.maxTotalBytes)
    out.push(
      diagnostic(
        'environment-too-large',
        `files under the environment root total ${total} bytes, over the ${limits.maxTotalBytes}-byte limit`,
      ),
    );
  return out;
}

/** Loads and compiles like the data plane's snapshot builder; errors only. */
export function checkContent(files: ReadonlyMap<string, Uint8Array>): Diagnostic[] {
  const loaded = loadEnvironment(files);
  if (!loaded.ok) return loaded.errors.filter((d) => d.severity === 'error');
  try {
    // Only compile errors matter here; the snapshot (and so its digest) is thrown away.
    compileEnvironment(loaded.environment, { revision: '0'.repeat(40), digest: () => '' });
    return [];
  } catch (e) {
    if (!isSwitchyardError(e)) throw e;
    const d = e.details[0];
    return [
      diagnostic('compile', e.message, {
        ...(d?.file ? { file: d.file } : {}),
        ...(d?.line ? { line: d.line } : {}),
      }),
    ];
  }
}

/** The errors as an InvalidArgument (API writes): file and line in the field violations. */
export function treeRejected(diagnostics: readonly Diagnostic[]) {
  return errors.invalidArgument(
    `instances would refuse this revision: ${diagnostics.map(formatDiagnostic).slice(0, 3).join('; ')}`,
    toFieldViolations(diagnostics),
  );
}

function diagnostic(
  code: string,
  message: string,
  where: { file?: string; line?: number } = {},
): Diagnostic {
  return { severity: 'error', code, message, ...where };
}
