/**
 * The edits the flag API offers, as functions over a {@link FlagWorkspace}. Each keeps objects
 * where they are (same file, same document, same position) and appends new ones to the first
 * document of their namespace; new namespaces get their own v2-layout file `<ns>/features.yaml`.
 */
import { errors } from '../errors.js';
import {
  DEFAULT_NAMESPACE,
  type Document,
  type Flag,
  type Rollout,
  type Rule,
  type Segment,
} from '../model/schema.js';
import type { DocumentRef, FlagWorkspace } from './workspace.js';

/** Namespace fields the API edits. */
export interface NamespaceFields {
  name?: string | undefined;
  description?: string | undefined;
}

function namespaceRef(ws: FlagWorkspace, ns: string): DocumentRef {
  const ref = ws.namespaceDocs(ns)[0];
  if (!ref) throw errors.notFound(`namespace "${ns}" not found`);
  return ref;
}

/** Creates namespace `key` in `<key>/features.yaml`. */
export function createNamespace(ws: FlagWorkspace, key: string, fields: NamespaceFields): void {
  if (ws.namespaceDocs(key).length > 0)
    throw errors.alreadyExists(`namespace "${key}" already exists`);
  const file = `${key}/features.yaml`;
  if (ws.hasFile(file)) throw errors.alreadyExists(`file ${file} already exists`);
  const doc: Document = {
    version: '1.4',
    namespace: {
      key,
      name: fields.name ?? key,
      ...(fields.description ? { description: fields.description } : {}),
    },
    flags: [],
    segments: [],
  };
  ws.addFile(file, doc);
}

/** Renames or re-describes a namespace in every document declaring it. */
export function updateNamespace(ws: FlagWorkspace, key: string, fields: NamespaceFields): void {
  namespaceRef(ws, key);
  for (const ref of ws.namespaceDocs(key)) {
    ws.edit(ref, (d) => {
      const name = fields.name ?? d.namespace.name;
      const description = fields.description ?? d.namespace.description;
      // The object form of `namespace` needs format 1.4.
      const version = d.version === undefined || d.version < '1.4' ? '1.4' : d.version;
      return {
        ...d,
        version,
        namespace: {
          key,
          ...(name !== undefined ? { name } : {}),
          ...(description !== undefined ? { description } : {}),
        },
      };
    });
  }
}

/** Deletes a namespace: every document declaring it (and files left empty). */
export function deleteNamespace(ws: FlagWorkspace, key: string): void {
  if (key === DEFAULT_NAMESPACE)
    throw errors.failedPrecondition('the default namespace cannot be deleted');
  const refs = namespaceRef(ws, key) && ws.namespaceDocs(key);
  // Remove from the back so earlier indexes stay valid.
  for (const ref of refs.reverse()) ws.removeDocument(ref);
}

/** Creates or replaces a flag (in place when it exists). */
export function putFlag(ws: FlagWorkspace, ns: string, flag: Flag): 'created' | 'updated' {
  const at = ws.findFlag(ns, flag.key);
  if (at) {
    ws.edit(at, (d) => ({ ...d, flags: d.flags.map((f) => (f.key === flag.key ? flag : f)) }));
    return 'updated';
  }
  ws.edit(namespaceRef(ws, ns), (d) => ({ ...d, flags: [...d.flags, flag] }));
  return 'created';
}

/** Deletes a flag; NotFound when absent. */
export function deleteFlag(ws: FlagWorkspace, ns: string, key: string): void {
  const at = ws.findFlag(ns, key);
  if (!at) throw errors.notFound(`flag "${key}" not found in namespace "${ns}"`);
  ws.edit(at, (d) => ({ ...d, flags: d.flags.filter((f) => f.key !== key) }));
}

/** Replaces (and so reorders) a flag's rules or rollouts. */
export function setFlagList(
  ws: FlagWorkspace,
  ns: string,
  key: string,
  patch: { rules: Rule[] } | { rollouts: Rollout[] },
): void {
  const at = ws.findFlag(ns, key);
  if (!at) throw errors.notFound(`flag "${key}" not found in namespace "${ns}"`);
  ws.edit(at, (d) => ({
    ...d,
    flags: d.flags.map((f) => (f.key === key ? { ...f, ...patch } : f)),
  }));
}

/** Creates or replaces a segment (in place when it exists). */
export function putSegment(ws: FlagWorkspace, ns: string, segment: Segment): 'created' | 'updated' {
  const at = ws.findSegment(ns, segment.key);
  if (at) {
    ws.edit(at, (d) => ({
      ...d,
      segments: d.segments.map((s) => (s.key === segment.key ? segment : s)),
    }));
    return 'updated';
  }
  ws.edit(namespaceRef(ws, ns), (d) => ({ ...d, segments: [...d.segments, segment] }));
  return 'created';
}

/** Deletes a segment; NotFound when absent (validation refuses it while rules still use it). */
export function deleteSegment(ws: FlagWorkspace, ns: string, key: string): void {
  const at = ws.findSegment(ns, key);
  if (!at) throw errors.notFound(`segment "${key}" not found in namespace "${ns}"`);
  ws.edit(at, (d) => ({ ...d, segments: d.segments.filter((s) => s.key !== key) }));
}
