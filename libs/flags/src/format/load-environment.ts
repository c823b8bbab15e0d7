/**
 * Loads an environment from its file tree: limits first (file count and sizes, before any
 * decoding), then discovery, parsing, validation and merging. Errors never leave a partial
 * environment; warnings never block.
 */
import type { Environment } from '../model/schema.js';
import { isSwitchyardError } from '../errors.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { INDEX_FILES, discoverFeatureFiles } from './discover.js';
import { byteLength, resolveLimits, type LoadLimits } from './limits.js';
import {
  parseFeatureFile,
  sortByPosition,
  type ParseFileResult,
  type SourcedDocument,
} from './parse-file.js';
import { validateEnvironment } from './validate-environment.js';

/** Outcome of loading an environment. */
export type LoadResult =
  | { ok: true; environment: Environment; documents: SourcedDocument[]; warnings: Diagnostic[] }
  | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] };

/** Reads one feature file; {@link parseFeatureFile} unless a caller caches results by content. */
export type FeatureFileParser = (
  path: string,
  content: Uint8Array | string,
  limits: LoadLimits,
) => ParseFileResult;

/**
 * Discovers, parses, validates and merges the feature files of one environment. `parseFile`
 * must behave like {@link parseFeatureFile} (a cache of its results by path and content); its
 * results are only read, never changed.
 */
export function loadEnvironment(
  files: ReadonlyMap<string, Uint8Array | string>,
  options?: { limits?: Partial<LoadLimits>; parseFile?: FeatureFileParser | undefined },
): LoadResult {
  const limits = resolveLimits(options?.limits);
  const discovered = discover(files, limits);
  if ('errors' in discovered) return { ok: false, errors: discovered.errors, warnings: [] };
  const limitErrors = checkEnvironmentLimits(discovered.paths, files, limits);
  if (limitErrors.length > 0) return { ok: false, errors: limitErrors, warnings: [] };
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const documents: SourcedDocument[] = [];
  const parseFile = options?.parseFile ?? parseFeatureFile;
  for (const path of discovered.paths) {
    const parsed = parseFile(path, files.get(path) as Uint8Array | string, limits);
    documents.push(...parsed.documents);
    errors.push(...parsed.errors);
    warnings.push(...parsed.warnings);
  }
  const validated = validateEnvironment(documents);
  const allErrors = capped(dedupe([...errors, ...validated.errors]));
  const allWarnings = capped(dedupe([...warnings, ...validated.warnings]));
  if (allErrors.length > 0 || validated.environment === undefined)
    return { ok: false, errors: allErrors, warnings: allWarnings };
  return { ok: true, environment: validated.environment, documents, warnings: allWarnings };
}

function discover(
  files: ReadonlyMap<string, Uint8Array | string>,
  limits: LoadLimits,
): { paths: string[] } | { errors: Diagnostic[] } {
  const indexPath = INDEX_FILES.find((p) => files.has(p));
  let index: string | undefined;
  if (indexPath !== undefined) {
    const content = files.get(indexPath) as Uint8Array | string;
    if (byteLength(content) > limits.maxFileBytes)
      return {
        errors: [
          diagnostic(
            'error',
            'file-too-large',
            `index is ${byteLength(content)} bytes, more than the limit of ${limits.maxFileBytes} (shorten it)`,
            { file: indexPath },
          ),
        ],
      };
    index = typeof content === 'string' ? content : new TextDecoder().decode(content);
  }
  try {
    return { paths: discoverFeatureFiles([...files.keys()], index) };
  } catch (e) {
    if (!isSwitchyardError(e)) throw e;
    return {
      errors: [
        diagnostic('error', 'bad-index', `${e.message} (fix the index file)`, { file: indexPath }),
      ],
    };
  }
}

/** File count, per-file and total size: all measured before any file is decoded. */
function checkEnvironmentLimits(
  paths: readonly string[],
  files: ReadonlyMap<string, Uint8Array | string>,
  limits: LoadLimits,
): Diagnostic[] {
  if (paths.length > limits.maxFiles)
    return [
      diagnostic(
        'error',
        'too-many-files',
        `${paths.length} feature files, more than the limit of ${limits.maxFiles} (merge files or raise maxFiles)`,
      ),
    ];
  const errors: Diagnostic[] = [];
  let total = 0;
  for (const path of paths) {
    const size = byteLength(files.get(path) as Uint8Array | string);
    total += size;
    if (size > limits.maxFileBytes)
      errors.push(
        diagnostic(
          'error',
          'file-too-large',
          `file is ${size} bytes, more than the limit of ${limits.maxFileBytes} (split it into several files)`,
          { file: path },
        ),
      );
  }
  if (total > limits.maxEnvironmentBytes)
    errors.push(
      diagnostic(
        'error',
        'environment-too-large',
        `feature files total ${total} bytes, more than the limit of ${limits.maxEnvironmentBytes} (remove unused flags or raise maxEnvironmentBytes)`,
      ),
    );
  return errors;
}

/** Most diagnostics of each severity returned; beyond that a summary says how many were left out. */
export const MAX_DIAGNOSTICS = 1000;

function capped(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS) return diagnostics;
  const rest = diagnostics.length - MAX_DIAGNOSTICS;
  const severity = diagnostics[0]?.severity ?? 'error';
  return [
    ...diagnostics.slice(0, MAX_DIAGNOSTICS),
    diagnostic(
      severity,
      'too-many-errors',
      `${rest} more ${severity}s not shown (fix the ones above first)`,
    ),
  ];
}

/** The same rule can be found on the raw and the canonical document; keep one report. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out = diagnostics.filter((d) => {
    const k = `${d.file ?? ''}\u0000${d.path ?? ''}\u0000${d.code}\u0000${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  // Files keep load order; within a file, diagnostics are ordered by position.
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of out) {
    const list = byFile.get(d.file ?? '') ?? [];
    list.push(d);
    byFile.set(d.file ?? '', list);
  }
  return [...byFile.values()].flatMap((ds) => sortByPosition(ds));
}
