/**
 * Which flags a commit changed, by content: a flag counts when its canonical form differs between
 * the two revisions (added, removed or edited), in whichever file it lives, so pushes made outside
 * Switchyard are described as well as API edits. Best effort for a notice: large diffs and files
 * that do not parse are left out rather than failing the event.
 */
import { parseFeatureFile } from '@switchyard/flags';
import type { GitStore } from '@switchyard/git-store';

/** A flag named by namespace and key. */
export interface FlagRef {
  namespace: string;
  key: string;
}

/** Extensions libs/flags reads as feature files. */
const FEATURE_FILE = /\.(ya?ml|json)$/iu;

/** Files compared at most; beyond that the notice names no flags. */
export const MAX_CHANGED_FILES = 50;

/** Flags that differ between `from` and `to` (undefined when too many files changed or unreadable). */
export async function changedFlags(
  store: GitStore,
  from: string,
  to: string,
): Promise<FlagRef[] | undefined> {
  const raw = await store.git(['diff', '--name-only', '--no-renames', '-z', from, to]);
  const paths = raw
    .toString('utf8')
    .split('\0')
    .filter((p) => p !== '' && FEATURE_FILE.test(p));
  if (paths.length > MAX_CHANGED_FILES) return undefined;
  const changed = new Map<string, FlagRef>();
  for (const path of paths) {
    const [before, after] = await Promise.all([
      flagsIn(store, from, path),
      flagsIn(store, to, path),
    ]);
    for (const [id, flag] of after)
      if (before.get(id)?.json !== flag.json) changed.set(id, flag.ref);
    for (const [id, flag] of before) if (!after.has(id)) changed.set(id, flag.ref);
  }
  return [...changed.values()].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.key.localeCompare(b.key),
  );
}

/** The flags of one file at `rev`, keyed `namespace/key`, with their canonical JSON. */
async function flagsIn(
  store: GitStore,
  rev: string,
  path: string,
): Promise<Map<string, { ref: FlagRef; json: string }>> {
  const out = new Map<string, { ref: FlagRef; json: string }>();
  const blob = await store.fileAt(rev, path);
  if (blob === null) return out;
  for (const d of parseFeatureFile(path, blob).documents) {
    const namespace = d.document.namespace.key;
    for (const f of d.document.flags)
      out.set(`${namespace}/${f.key}`, { ref: { namespace, key: f.key }, json: JSON.stringify(f) });
  }
  return out;
}
