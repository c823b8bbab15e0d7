/**
 * The warnings of the revision an environment serves, for status reports: what loads and serves
 * but behaves as the message says (a constraint value that never matches, distributions scaled to
 * their total, …), each at file:line. Computed from the files the snapshot was built from, once
 * per snapshot (snapshots are immutable; a new revision is a new object), off the request path.
 * The flag-file loader (zod, yaml) is imported when there is a snapshot to look at: an instance
 * without environments never loads it.
 */
import type { EnvironmentSnapshot } from '@switchyard/flags';
import type { SyncError } from '@switchyard/contracts';

/** Most warnings reported per environment. */
export const MAX_REPORTED_WARNINGS = 50;

const cache = new WeakMap<EnvironmentSnapshot, SyncError[]>();

/** Warnings of `snapshot`, built from `files` (none when the files are unknown). */
export async function snapshotWarnings(
  snapshot: EnvironmentSnapshot | undefined,
  files: ReadonlyMap<string, Uint8Array> | undefined,
): Promise<SyncError[]> {
  if (!snapshot || !files) return [];
  const hit = cache.get(snapshot);
  if (hit) return hit;
  const { loadEnvironment } = await import('../sync/environment-syncer.js');
  let warnings: SyncError[] = [];
  try {
    const loaded = loadEnvironment(files);
    warnings = loaded.warnings.slice(0, MAX_REPORTED_WARNINGS).map((w) => ({
      message: w.path ? `${w.path}: ${w.message}` : w.message,
      revision: snapshot.revision,
      file: w.file ?? '',
      line: w.line ?? 0,
      column: w.column ?? 0,
    }));
  } catch {
    // The snapshot was built from these files, so this cannot fail; a report never throws.
  }
  cache.set(snapshot, warnings);
  return warnings;
}
