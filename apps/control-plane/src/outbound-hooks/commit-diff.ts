/**
 * The field-level diff of a commit for webhook payloads: every flag and segment whose canonical
 * form differs between two revisions, with the changed fields (libs/flags `diffFlag` /
 * `diffSegment`), in whichever file it lives, so pushes made outside Switchyard are described as
 * well as API edits. Bounded: beyond {@link MAX_DIFF_FILES} files or {@link MAX_DIFF_FIELDS} field
 * changes the diff is marked truncated rather than growing the body without limit.
 */
import {
  diffFlag,
  diffSegment,
  formatFieldPath,
  parseFeatureFile,
  type FieldChange,
  type Flag,
  type Segment,
} from '@switchyard/flags';
import type { GitStore } from '@switchyard/git-store';
import type { HookDiff, HookObjectDiff } from './hook-events.js';

/** Extensions libs/flags reads as feature files. */
const FEATURE_FILE = /\.(ya?ml|json)$/iu;
/** Files compared at most. */
export const MAX_DIFF_FILES = 50;
/** Field changes listed at most, over all objects. */
export const MAX_DIFF_FIELDS = 500;

type Objects = Map<string, { ns: string; kind: 'flag' | 'segment'; key: string; value: unknown }>;

/** The diff from `from` to `to` (both commits of `store`). */
export async function commitDiff(store: GitStore, from: string, to: string): Promise<HookDiff> {
  const raw = await store.git(['diff', '--name-only', '--no-renames', '-z', from, to]);
  const paths = raw
    .toString('utf8')
    .split('\0')
    .filter((p) => p !== '' && FEATURE_FILE.test(p));
  const truncated = paths.length > MAX_DIFF_FILES;
  const before: Objects = new Map();
  const after: Objects = new Map();
  for (const path of paths.slice(0, MAX_DIFF_FILES)) {
    await collect(store, from, path, before);
    await collect(store, to, path, after);
  }
  const objects: HookObjectDiff[] = [];
  let fields = 0;
  let cut = truncated;
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const id of ids) {
    const b = before.get(id);
    const a = after.get(id);
    const o = (a ?? b)!;
    const changes =
      o.kind === 'flag'
        ? diffFlag(b?.value as Flag | undefined, a?.value as Flag | undefined)
        : diffSegment(b?.value as Segment | undefined, a?.value as Segment | undefined);
    if (changes.length === 0) continue;
    if (fields + changes.length > MAX_DIFF_FIELDS) {
      cut = true;
      break;
    }
    fields += changes.length;
    objects.push({
      namespace: o.ns,
      kind: o.kind,
      key: o.key,
      change: b === undefined ? 'added' : a === undefined ? 'removed' : 'changed',
      fields: changes.map(field),
    });
  }
  return { objects, truncated: cut };
}

function field(c: FieldChange) {
  return {
    kind: c.kind,
    path: formatFieldPath(c.path),
    ...(c.before !== undefined ? { before: c.before } : {}),
    ...(c.after !== undefined ? { after: c.after } : {}),
  };
}

/** Adds the flags and segments of one file at `rev` (absent or unreadable files add nothing). */
async function collect(store: GitStore, rev: string, path: string, into: Objects): Promise<void> {
  const blob = await store.fileAt(rev, path);
  if (blob === null) return;
  for (const d of parseFeatureFile(path, blob).documents) {
    const ns = d.document.namespace.key;
    for (const f of d.document.flags)
      into.set(`${ns}\0flag\0${f.key}`, { ns, kind: 'flag', key: f.key, value: f });
    for (const s of d.document.segments ?? [])
      into.set(`${ns}\0segment\0${s.key}`, { ns, kind: 'segment', key: s.key, value: s });
  }
}
