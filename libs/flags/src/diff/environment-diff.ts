/**
 * Field-level diff of two whole environments, grouped by the flag or segment it concerns: what a
 * proposal or a promotion changes, shown the way the review panel shows one flag's edit.
 */
import type { Environment, NamespaceModel } from '../model/schema.js';
import { diffFlag, diffSegment, diffValues, type FieldChange } from './field-diff.js';

/** What an entity change concerns: a flag, a segment, or the namespace's own fields. */
export type EntityKind = 'flag' | 'segment' | 'namespace';

/** The field changes of one flag, segment or namespace between two environments. */
export interface EntityChange {
  namespace: string;
  kind: EntityKind;
  key: string;
  status: 'added' | 'removed' | 'modified';
  changes: FieldChange[];
}

/**
 * Every flag, segment and namespace that differs from `before` to `after`, in namespace order
 * (namespaces of `before` first, then new ones), within a namespace its own fields, then flags,
 * then segments, each in the order of `after` with removed ones last. Unchanged ones are left out.
 */
export function diffEnvironments(
  before: Environment | undefined,
  after: Environment | undefined,
): EntityChange[] {
  const a = byKey(before?.namespaces ?? []);
  const b = byKey(after?.namespaces ?? []);
  const out: EntityChange[] = [];
  for (const key of union([...a.keys()], [...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    const own = diffValues(x && namespaceFields(x), y && namespaceFields(y));
    if (own.length > 0)
      out.push({ namespace: key, kind: 'namespace', key, status: status(x, y), changes: own });
    out.push(...entities(key, 'flag', x?.flags ?? [], y?.flags ?? [], diffFlag));
    out.push(...entities(key, 'segment', x?.segments ?? [], y?.segments ?? [], diffSegment));
  }
  return out;
}

function entities<T extends { key: string }>(
  namespace: string,
  kind: EntityKind,
  before: readonly T[],
  after: readonly T[],
  diff: (a: T | undefined, b: T | undefined) => FieldChange[],
): EntityChange[] {
  const a = byKey(before);
  const b = byKey(after);
  const out: EntityChange[] = [];
  for (const key of union([...b.keys()], [...a.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    // An added or removed one lists its fields (against an empty object), not one whole value;
    // empty lists (no rules, no rollouts) say nothing there.
    const changes =
      x && y ? diff(x, y) : diffValues(x ?? {}, y ?? {}).filter((c) => !isEmptyList(c));
    if (changes.length > 0) out.push({ namespace, kind, key, status: status(x, y), changes });
  }
  return out;
}

function namespaceFields(n: NamespaceModel): Pick<NamespaceModel, 'name' | 'description'> {
  return { name: n.name, description: n.description };
}

function status(a: unknown, b: unknown): EntityChange['status'] {
  return a === undefined ? 'added' : b === undefined ? 'removed' : 'modified';
}

function byKey<T extends { key: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((i) => [i.key, i]));
}

function union(first: string[], second: string[]): string[] {
  return [...new Set([...first, ...second])];
}

function isEmptyList(c: FieldChange): boolean {
  const v = c.kind === 'added' ? c.after : c.before;
  return Array.isArray(v) && v.length === 0;
}
