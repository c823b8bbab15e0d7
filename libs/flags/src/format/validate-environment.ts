/**
 * Validates a whole environment and merges its documents into namespaces. Every error is
 * collected (never just the first). Merge order is document order: a rule or rollout may only
 * reference a segment registered earlier in the same namespace, as in Flipt's snapshot builder.
 */
import {
  DEFAULT_NAMESPACE,
  type Document,
  type Environment,
  type NamespaceModel,
} from '../model/schema.js';
import { closest, diagnostic, formatPath, type Diagnostic } from './diagnostics.js';
import { checkConstraint } from './check-constraint.js';
import { checkFlag, type Report } from './check-flag.js';
import type { SourcedDocument } from './parse-file.js';
import { canonicalVersionViolations } from './version-rules.js';

/** The validated environment (undefined when there are errors) and every diagnostic. */
export interface ValidationResult {
  environment: Environment | undefined;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** Where a key was first defined; the line is looked up only when a duplicate needs it. */
interface Definition {
  sourced: SourcedDocument;
  path: PropertyKey[];
}

interface NamespaceState {
  model: NamespaceModel;
  segments: Map<string, Definition>;
  flags: Map<string, Definition>;
}

/** Validates documents (in merge order) and merges them into an Environment. */
export function validateEnvironment(documents: readonly SourcedDocument[]): ValidationResult {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const namespaces = new Map<string, NamespaceState>();
  const later = laterSegments(documents);
  documents.forEach((sourced, docIndex) => {
    const report: Report = (severity, code, path, message) => {
      // Version errors are about a field being present at all: point at its key.
      const position = sourced.locate?.(path, code === 'version');
      (severity === 'error' ? errors : warnings).push(
        diagnostic(severity, code, message, {
          file: sourced.file,
          position,
          path: formatPath(path),
        }),
      );
    };
    const doc = sourced.document;
    for (const v of canonicalVersionViolations(doc)) report('error', 'version', v.path, v.message);
    const ns = namespaceFor(namespaces, doc);
    addSegments(doc, sourced, ns, report);
    doc.flags.forEach((flag, i) => {
      const fresh = defineOnce(
        ns.flags,
        'flag',
        flag.key,
        ns.model.key,
        sourced,
        ['flags', i, 'key'],
        report,
      );
      const lookup = (key: string): string | undefined =>
        segmentHint(key, ns, later.get(ns.model.key)?.get(key), docIndex);
      checkFlag(flag, ['flags', i], lookup, report);
      if (fresh) ns.model.flags.push(flag);
    });
  });
  // The default namespace always exists; when no document declares it, it comes first.
  const ordered = namespaces.has(DEFAULT_NAMESPACE)
    ? namespaces
    : new Map([[DEFAULT_NAMESPACE, newNamespace({ key: DEFAULT_NAMESPACE })], ...namespaces]);
  return finish(ordered, errors, warnings);
}

function finish(
  namespaces: Map<string, NamespaceState>,
  errors: Diagnostic[],
  warnings: Diagnostic[],
): ValidationResult {
  const environment =
    errors.length > 0 ? undefined : { namespaces: [...namespaces.values()].map((n) => n.model) };
  return { environment, errors, warnings };
}

function newNamespace(ref: Document['namespace']): NamespaceState {
  const name =
    ref.name !== undefined && ref.name !== ''
      ? ref.name
      : ref.key === DEFAULT_NAMESPACE
        ? 'Default'
        : ref.key;
  const model: NamespaceModel = { key: ref.key, name, flags: [], segments: [] };
  if (ref.description !== undefined) model.description = ref.description;
  return { model, segments: new Map(), flags: new Map() };
}

/** Namespace name and description come from the first document that declares the namespace. */
function namespaceFor(namespaces: Map<string, NamespaceState>, doc: Document): NamespaceState {
  let ns = namespaces.get(doc.namespace.key);
  if (ns === undefined) {
    ns = newNamespace(doc.namespace);
    namespaces.set(doc.namespace.key, ns);
  }
  return ns;
}

function addSegments(
  doc: Document,
  sourced: SourcedDocument,
  ns: NamespaceState,
  report: Report,
): void {
  doc.segments.forEach((segment, i) => {
    const fresh = defineOnce(
      ns.segments,
      'segment',
      segment.key,
      ns.model.key,
      sourced,
      ['segments', i, 'key'],
      report,
    );
    segment.constraints.forEach((c, j) => {
      for (const f of checkConstraint(c, doc.version))
        report(f.severity, f.code, ['segments', i, 'constraints', j, ...f.path], f.message);
    });
    if (fresh) ns.model.segments.push(segment);
  });
}

/** Registers a key; reports a duplicate (naming the first definition). True when the key is new. */
function defineOnce(
  seen: Map<string, Definition>,
  what: 'flag' | 'segment',
  key: string,
  namespace: string,
  sourced: SourcedDocument,
  path: PropertyKey[],
  report: Report,
): boolean {
  const first = seen.get(key);
  if (first !== undefined) {
    const line = first.sourced.locate?.(first.path)?.line;
    const at = line !== undefined ? `${first.sourced.file}:${line}` : first.sourced.file;
    report(
      'error',
      'duplicate-key',
      path,
      `${what} "${key}" is already defined in namespace "${namespace}" at ${at} (rename or remove one of them)`,
    );
    return false;
  }
  seen.set(key, { sourced, path });
  return true;
}

/** Why a segment key does not resolve here, with a fix; undefined when it does resolve. */
function segmentHint(
  key: string,
  ns: NamespaceState,
  laterDef: { doc: number; file: string } | undefined,
  docIndex: number,
): string | undefined {
  if (ns.segments.has(key)) return undefined;
  if (laterDef !== undefined && laterDef.doc >= docIndex)
    return `unknown segment "${key}" in namespace "${ns.model.key}" (it is defined later, in ${laterDef.file}; documents load in path order, so define segments before the flags that use them)`;
  const guess = closest(key, ns.segments.keys());
  const fix =
    guess !== undefined
      ? `did you mean "${guess}"?`
      : `define it under segments: in namespace "${ns.model.key}"`;
  return `unknown segment "${key}" in namespace "${ns.model.key}" (${fix})`;
}

/** For each namespace, the first document (index and file) that defines each segment key. */
function laterSegments(
  documents: readonly SourcedDocument[],
): Map<string, Map<string, { doc: number; file: string }>> {
  const out = new Map<string, Map<string, { doc: number; file: string }>>();
  documents.forEach((d, doc) => {
    const ns =
      out.get(d.document.namespace.key) ?? new Map<string, { doc: number; file: string }>();
    out.set(d.document.namespace.key, ns);
    for (const s of d.document.segments) if (!ns.has(s.key)) ns.set(s.key, { doc, file: d.file });
  });
  return out;
}
