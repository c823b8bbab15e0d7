/**
 * Field-level diff of two flag, segment or namespace states, for review panels and history.
 *
 * Lists whose items carry an identity are matched by it rather than by position, so editing one
 * variant reads as one change and not as a shift of every later item: variants, flags and segments
 * by `key`, distributions by `variant`. Rules, rollouts and constraints have no identity and are
 * compared by position (their order is meaningful: the first match wins).
 */
import type { Flag, NamespaceModel, Segment } from '../model/schema.js';

/** One step of a field path: an object field, a list position, or a list item's identity. */
export type FieldPathSegment = string | number | { id: string };

/** What happened to one field. */
export type FieldChangeKind = 'added' | 'removed' | 'changed' | 'moved';

/** One changed field: where it is, and its value before and after (absent when added/removed). */
export interface FieldChange {
  kind: FieldChangeKind;
  path: FieldPathSegment[];
  before?: unknown;
  after?: unknown;
}

/** Identity fields by list name: items of these lists are matched by that field. */
const IDENTITY: Readonly<Record<string, string>> = {
  variants: 'key',
  flags: 'key',
  segments: 'key',
  distributions: 'variant',
};

/** Changes from `before` to `after` of one flag; `undefined` on a side means created or deleted. */
export function diffFlag(before: Flag | undefined, after: Flag | undefined): FieldChange[] {
  return diffValues(before, after);
}

/** Changes from `before` to `after` of one segment; `undefined` on a side means created or deleted. */
export function diffSegment(
  before: Segment | undefined,
  after: Segment | undefined,
): FieldChange[] {
  return diffValues(before, after);
}

/** Changes between two states of a namespace: its fields, flags (by key) and segments (by key). */
export function diffNamespace(
  before: NamespaceModel | undefined,
  after: NamespaceModel | undefined,
): FieldChange[] {
  return diffValues(before, after);
}

/** Changes between two plain JSON-like values (the model's canonical shapes). */
export function diffValues(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, [], undefined, out);
  return out;
}

function walk(
  a: unknown,
  b: unknown,
  path: FieldPathSegment[],
  listName: string | undefined,
  out: FieldChange[],
): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) return void out.push({ kind: 'added', path, after: b });
  if (b === undefined) return void out.push({ kind: 'removed', path, before: a });
  if (Array.isArray(a) && Array.isArray(b)) return diffList(a, b, path, listName, out);
  if (isRecord(a) && isRecord(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    for (const k of keys) walk(a[k], b[k], [...path, k], k, out);
    return;
  }
  if (!sameValue(a, b)) out.push({ kind: 'changed', path, before: a, after: b });
}

function diffList(
  a: unknown[],
  b: unknown[],
  path: FieldPathSegment[],
  listName: string | undefined,
  out: FieldChange[],
): void {
  const idField = listName === undefined ? undefined : IDENTITY[listName];
  const aIds = idField === undefined ? undefined : identities(a, idField);
  const bIds = idField === undefined ? undefined : identities(b, idField);
  if (aIds === undefined || bIds === undefined) {
    // Positional: scalars lists (segment keys, isoneof values) and ordered objects.
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) walk(a[i], b[i], [...path, i], undefined, out);
    return;
  }
  const bIndex = new Map(bIds.map((id, i) => [id, i]));
  const aIndex = new Map(aIds.map((id, i) => [id, i]));
  for (const [i, id] of aIds.entries()) {
    const j = bIndex.get(id);
    if (j === undefined) out.push({ kind: 'removed', path: [...path, { id }], before: a[i] });
    else walk(a[i], b[j], [...path, { id }], undefined, out);
  }
  for (const [j, id] of bIds.entries())
    if (!aIndex.has(id)) out.push({ kind: 'added', path: [...path, { id }], after: b[j] });
  // A reorder of the surviving items is one change to the list's order.
  const keptA = aIds.filter((id) => bIndex.has(id));
  const keptB = bIds.filter((id) => aIndex.has(id));
  if (keptA.some((id, i) => keptB[i] !== id))
    out.push({ kind: 'moved', path, before: keptA, after: keptB });
}

/** The identity of every item, or undefined when some item lacks one or two share one. */
function identities(list: unknown[], field: string): string[] | undefined {
  const ids: string[] = [];
  for (const item of list) {
    if (!isRecord(item) || typeof item[field] !== 'string') return undefined;
    ids.push(item[field]);
  }
  return new Set(ids).size === ids.length ? ids : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sameValue(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || (typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

/** A readable path: `variants[on].attachment.color`, `rules[0].distributions[off].rollout`. */
export function formatFieldPath(path: readonly FieldPathSegment[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (typeof seg === 'object') s += `[${seg.id}]`;
    else s += s === '' ? seg : `.${seg}`;
  }
  return s === '' ? '(whole)' : s;
}
