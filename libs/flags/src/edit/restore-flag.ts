/**
 * Semantic restore of one flag: the flag as it was at an older revision, applied to the document
 * as it is now. Unlike a textual revert it ignores everything else that changed since (neighbour
 * flags, segments, ordering), so it never conflicts with later edits of other objects.
 */
import type { Document, Flag } from '../model/schema.js';

/** What {@link restoreFlag} did. */
export interface RestoreFlagResult {
  /** The new document; the same object when nothing changed. */
  document: Document;
  /** `restored` (replaced or re-added), `removed` (absent then), or `unchanged`. */
  outcome: 'restored' | 'removed' | 'unchanged';
  /** Segments re-added because the restored flag uses them and they no longer exist. */
  addedSegments: string[];
}

/** Options of {@link restoreFlag}. */
export interface RestoreFlagOptions {
  /**
   * True when a segment exists elsewhere in the namespace now (another document of the same
   * namespace): such segments are not re-added. Default: only this document is looked at.
   */
  segmentExists?: (key: string) => boolean;
}

// Later flags with the same key replace earlier ones when loading, so the last one is the flag.
function lastIndexOfKey<T extends { key: string }>(list: readonly T[], key: string): number {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.key === key) return i;
  return -1;
}

function segmentKeysOf(flag: Flag): string[] {
  const keys = [
    ...flag.rules.flatMap((r) => r.segment.keys),
    ...flag.rollouts.flatMap((r) => r.segment?.keys ?? []),
  ];
  return [...new Set(keys)];
}

/** Where to put a flag that exists in `past` but not now: after its nearest earlier neighbour still present. */
function insertionIndex(
  current: readonly Flag[],
  past: readonly Flag[],
  pastIndex: number,
): number {
  for (let i = pastIndex - 1; i >= 0; i--) {
    const at = lastIndexOfKey(current, past[i]!.key);
    if (at >= 0) return at + 1;
  }
  for (let i = pastIndex + 1; i < past.length; i++) {
    const at = lastIndexOfKey(current, past[i]!.key);
    if (at >= 0) return at;
  }
  return current.length;
}

/**
 * Restores flag `key` of `current` to its state in `past` (the same namespace's document at an
 * older revision, `undefined` when the namespace had no document then). The flag is replaced in
 * place, re-added next to its old neighbours, or removed when it did not exist then; segments the
 * restored flag needs and that are gone now are re-added from `past`. Every other flag and
 * segment keeps its value and position. The caller validates the resulting environment.
 */
export function restoreFlag(
  current: Document,
  past: Document | undefined,
  key: string,
  options: RestoreFlagOptions = {},
): RestoreFlagResult {
  const pastFlags = past?.flags ?? [];
  const pastIndex = lastIndexOfKey(pastFlags, key);
  const nowIndex = lastIndexOfKey(current.flags, key);
  if (pastIndex < 0) {
    if (nowIndex < 0) return { document: current, outcome: 'unchanged', addedSegments: [] };
    return {
      document: { ...current, flags: current.flags.filter((f) => f.key !== key) },
      outcome: 'removed',
      addedSegments: [],
    };
  }
  const flag = pastFlags[pastIndex]!;
  let flags: Flag[];
  if (nowIndex >= 0) {
    if (
      JSON.stringify(current.flags[nowIndex]) === JSON.stringify(flag) &&
      !hasDuplicate(current.flags, key)
    )
      return { document: current, outcome: 'unchanged', addedSegments: [] };
    // Earlier duplicates of the key were shadowed; drop them so the document states one flag.
    flags = current.flags
      .map((f, i) => (i === nowIndex ? flag : f))
      .filter((f, i) => f.key !== key || i === nowIndex);
  } else {
    flags = [...current.flags];
    flags.splice(insertionIndex(current.flags, pastFlags, pastIndex), 0, flag);
  }
  const exists = (k: string) =>
    current.segments.some((s) => s.key === k) || (options.segmentExists?.(k) ?? false);
  const pastSegments = past?.segments ?? [];
  const added = segmentKeysOf(flag)
    .filter((k) => !exists(k))
    .map((k) => pastSegments[lastIndexOfKey(pastSegments, k)])
    .filter((s) => s !== undefined);
  return {
    document: {
      ...current,
      flags,
      ...(added.length > 0 ? { segments: [...current.segments, ...added] } : {}),
    },
    outcome: 'restored',
    addedSegments: added.map((s) => s.key),
  };
}

function hasDuplicate(flags: readonly Flag[], key: string): boolean {
  return flags.filter((f) => f.key === key).length > 1;
}
