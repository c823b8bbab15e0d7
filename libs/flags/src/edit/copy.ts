/**
 * Copies flags and segments between two environment workspaces. A flag brings the segments its
 * rules and rollouts use; a namespace is mirrored (the target ends up with exactly the source's
 * flags and segments, in the target's own files); "everything" mirrors every source namespace.
 */
import { errors } from '../errors.js';
import type { Flag, NamespaceModel } from '../model/schema.js';
import * as edits from './edits.js';
import type { FlagWorkspace } from './workspace.js';

function namespaceOf(ws: FlagWorkspace, key: string): NamespaceModel {
  const ns = ws.environment.namespaces.find((n) => n.key === key);
  if (!ns) throw errors.notFound(`namespace "${key}" not found in the source environment`);
  return ns;
}

function ensureNamespace(target: FlagWorkspace, ns: NamespaceModel): void {
  if (target.namespaceDocs(ns.key).length === 0)
    edits.createNamespace(target, ns.key, { name: ns.name, description: ns.description });
}

function segmentKeys(flag: Flag): string[] {
  return [
    ...flag.rules.flatMap((r) => r.segment.keys),
    ...flag.rollouts.flatMap((r) => r.segment?.keys ?? []),
  ];
}

/** Copies one flag and the segments it uses. */
export function copyFlag(
  source: FlagWorkspace,
  target: FlagWorkspace,
  nsKey: string,
  flagKey: string,
): void {
  const ns = namespaceOf(source, nsKey);
  const flag = ns.flags.find((f) => f.key === flagKey);
  if (!flag) throw errors.notFound(`flag "${flagKey}" not found in the source environment`);
  ensureNamespace(target, ns);
  for (const key of new Set(segmentKeys(flag))) {
    const segment = ns.segments.find((s) => s.key === key);
    if (segment) edits.putSegment(target, nsKey, segment);
  }
  edits.putFlag(target, nsKey, flag);
}

/** Makes the target namespace hold exactly the source namespace's flags and segments. */
export function copyNamespace(source: FlagWorkspace, target: FlagWorkspace, nsKey: string): void {
  const ns = namespaceOf(source, nsKey);
  ensureNamespace(target, ns);
  const existing = target.environment.namespaces.find((n) => n.key === nsKey);
  // Flags first (they may use segments about to be removed), then segments.
  for (const f of existing?.flags ?? [])
    if (!ns.flags.some((x) => x.key === f.key)) edits.deleteFlag(target, nsKey, f.key);
  for (const s of ns.segments) edits.putSegment(target, nsKey, s);
  for (const f of ns.flags) edits.putFlag(target, nsKey, f);
  for (const s of existing?.segments ?? [])
    if (!ns.segments.some((x) => x.key === s.key)) edits.deleteSegment(target, nsKey, s.key);
}

/** Mirrors every namespace of the source (namespaces only in the target are left alone). */
export function copyEverything(source: FlagWorkspace, target: FlagWorkspace): void {
  for (const ns of source.environment.namespaces) copyNamespace(source, target, ns.key);
}
