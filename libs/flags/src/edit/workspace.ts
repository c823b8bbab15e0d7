/**
 * An environment's feature files at one revision, editable document by document. Edits keep every
 * flag and segment in the file (and document) it already lives in; only touched files change, and
 * in them only the changed nodes (patchFeatureText keeps comments and formatting), so commits stay
 * minimal. `validate` loads the WHOLE edited
 * environment through loadEnvironment: errors → InvalidArgument with file/field paths, nothing written.
 */
import { errors } from '../errors.js';
import { toFieldViolations, type Diagnostic } from '../format/diagnostics.js';
import { loadEnvironment } from '../format/load-environment.js';
import { serializeDocument } from '../format/serialize.js';
import type { Document, Environment } from '../model/schema.js';
import { objectSource, type ObjectKind, type ObjectSource } from './object-source.js';
import { patchFeatureText } from './text-patch.js';

/** Where a document lives: a feature file and its position in the file's stream. */
export interface DocumentRef {
  file: string;
  index: number;
}

/** A warning returned with a successful write. */
export interface WarningView {
  code: string;
  message: string;
  file?: string | undefined;
  line?: number | undefined;
  path?: string | undefined;
}

/** Diagnostics as the API returns them. */
export function warningViews(diagnostics: readonly Diagnostic[]): WarningView[] {
  return diagnostics.map((d) => ({
    code: d.code,
    message: d.message,
    file: d.file,
    line: d.line,
    path: d.path,
  }));
}

/** Feature files of one environment (paths relative to its directory). */
export class FlagWorkspace {
  private readonly docs = new Map<string, Document[]>();
  private readonly dirty = new Set<string>();
  /** Files whose text was replaced verbatim (the YAML tab); written as they are. */
  private readonly verbatim = new Map<string, string>();
  /** The documents of each file as loaded: the base that comment-preserving writes patch from. */
  private readonly loaded = new Map<string, Document[]>();

  private constructor(
    private readonly files: Map<string, Uint8Array | string>,
    readonly environment: Environment,
    documents: readonly { file: string; index: number; document: Document }[],
  ) {
    for (const d of documents) {
      const list = this.docs.get(d.file) ?? [];
      list[d.index] = d.document;
      this.docs.set(d.file, list);
    }
    for (const [file, list] of this.docs) this.loaded.set(file, [...list]);
  }

  /** Loads the files; an environment that does not load cannot be edited (FailedPrecondition). */
  static load(files: Map<string, Uint8Array | string>): FlagWorkspace {
    const result = loadEnvironment(files);
    if (!result.ok) {
      const first = result.errors[0];
      throw errors.failedPrecondition(
        `the environment does not load at this revision (${first ? `${first.file ?? ''}: ${first.message}` : 'invalid'}); fix it in git first`,
      );
    }
    return new FlagWorkspace(files, result.environment, result.documents);
  }

  /** Every document declaring namespace `ns`, in walk order. */
  namespaceDocs(ns: string): DocumentRef[] {
    const out: DocumentRef[] = [];
    for (const [file, list] of this.docs)
      list.forEach((d, index) => d.namespace.key === ns && out.push({ file, index }));
    return out;
  }

  /** The document holding flag `key` of `ns`, if any. */
  findFlag(ns: string, key: string): DocumentRef | undefined {
    return this.namespaceDocs(ns).find((r) => this.doc(r).flags.some((f) => f.key === key));
  }

  /** The document holding segment `key` of `ns`, if any. */
  findSegment(ns: string, key: string): DocumentRef | undefined {
    return this.namespaceDocs(ns).find((r) => this.doc(r).segments.some((s) => s.key === key));
  }

  /** True when a file exists at `path`. */
  hasFile(path: string): boolean {
    return this.files.has(path) || this.docs.has(path);
  }

  /** The current document at `ref`. */
  doc(ref: DocumentRef): Document {
    const d = this.docs.get(ref.file)?.[ref.index];
    if (!d) throw errors.internal('document reference out of range');
    return d;
  }

  /** Replaces the document at `ref` with `edit(doc)`. */
  edit(ref: DocumentRef, edit: (doc: Document) => Document): void {
    const list = this.docs.get(ref.file)!;
    list[ref.index] = edit(this.doc(ref));
    this.dirty.add(ref.file);
  }

  /** Adds a new feature file holding `doc`. */
  addFile(path: string, doc: Document): void {
    this.docs.set(path, [doc]);
    this.dirty.add(path);
  }

  /** Removes the document at `ref` (its file too when it was the last one). */
  removeDocument(ref: DocumentRef): void {
    const list = this.docs.get(ref.file)!;
    list.splice(ref.index, 1);
    this.dirty.add(ref.file);
  }

  /** The stored text of flag or segment `key` of `ns` (its list item's whole lines), if editable as text. */
  source(ns: string, kind: ObjectKind, key: string): ObjectSource | undefined {
    const ref = kind === 'flags' ? this.findFlag(ns, key) : this.findSegment(ns, key);
    if (!ref) return undefined;
    const content = this.files.get(ref.file);
    if (content === undefined) return undefined;
    const text = typeof content === 'string' ? content : new TextDecoder().decode(content);
    return objectSource(ref.file, text, ref.index, kind, key);
  }

  /**
   * Replaces the stored text of one flag or segment with `text` (the YAML tab's save). The file is
   * spliced at exactly the object's lines, so every other byte stays. The new file must load
   * (errors carry file-relative line and column) and change nothing but that object, which keeps
   * its key. Call it on a freshly loaded workspace, alone.
   */
  replaceSource(ns: string, kind: ObjectKind, key: string, text: string): void {
    const what = `${kind === 'flags' ? 'flag' : 'segment'} "${key}"`;
    const at = this.source(ns, kind, key);
    if (!at)
      throw errors.failedPrecondition(
        `${what} of namespace "${ns}" is not a YAML list item of its own lines (JSON file or flow style); edit it with the form`,
      );
    const before = this.files.get(at.file) as Uint8Array | string;
    const old = typeof before === 'string' ? before : new TextDecoder().decode(before);
    const body = text.endsWith('\n') || at.end === old.length ? text : `${text}\n`;
    const next = old.slice(0, at.start) + body + old.slice(at.end);
    if (next === old) return;
    const files = new Map(this.files).set(at.file, next);
    const result = loadEnvironment(files);
    if (!result.ok)
      throw errors.invalidArgument(
        `the YAML does not validate: ${result.errors[0]?.message ?? 'invalid'}`,
        toFieldViolations(result.errors),
      );
    const others = (env: Environment) =>
      JSON.stringify(
        env.namespaces.map((n) => ({
          ...n,
          flags: n.flags.filter((f) => !(n.key === ns && kind === 'flags' && f.key === key)),
          segments: n.segments.filter(
            (g) => !(n.key === ns && kind === 'segments' && g.key === key),
          ),
        })),
      );
    const edited = result.environment.namespaces
      .find((n) => n.key === ns)
      ?.[kind].some((o) => o.key === key);
    if (!edited)
      throw errors.invalidArgument(`the key must stay "${key}"`, [
        { path: 'body.text', message: `${what} is gone: keep its key (create a new one instead)` },
      ]);
    if (others(result.environment) !== others(this.environment))
      throw errors.invalidArgument(`the YAML may only change ${what}`, [
        {
          path: 'body.text',
          message: `other flags, segments or namespaces changed: edit only ${what}`,
        },
      ]);
    this.verbatim.set(at.file, next);
    this.dirty.add(at.file);
  }

  /** Changed files, keyed relative to the environment directory; `null` deletes. */
  changes(): Map<string, string | null> {
    const out = new Map<string, string | null>();
    for (const file of this.dirty) {
      const list = this.docs.get(file) ?? [];
      const before = this.files.get(file);
      const text =
        this.verbatim.get(file) ?? (list.length === 0 ? null : this.fileText(file, before, list));
      const same = before !== undefined && text !== null && sameContent(before, text);
      if (!same && !(text === null && before === undefined)) out.set(file, text);
    }
    return out;
  }

  /**
   * The new text of a changed file: the stored text patched where its documents changed (comments
   * and formatting elsewhere kept), or the canonical serialisation when it cannot be patched.
   */
  private fileText(file: string, before: Uint8Array | string | undefined, list: Document[]) {
    const loaded = this.loaded.get(file);
    if (before !== undefined && loaded) {
      const text = typeof before === 'string' ? before : new TextDecoder().decode(before);
      const patched = patchFeatureText(file, text, loaded, list);
      if (patched !== undefined) return patched;
    }
    return /\.json$/iu.test(file)
      ? list.map((d) => serializeDocument(d, { format: 'json' })).join('')
      : list.map((d) => serializeDocument(d)).join('---\n');
  }

  /** Validates the whole edited environment; returns its warnings or throws InvalidArgument. */
  validate(): Diagnostic[] {
    const next = new Map(this.files);
    for (const [file, content] of this.changes()) {
      if (content === null) next.delete(file);
      else next.set(file, content);
    }
    return validateFiles(next);
  }
}

/** True when a file's bytes (or text) equal `text`, compared as UTF-8 bytes. */
function sameContent(before: Uint8Array | string, text: string): boolean {
  if (typeof before === 'string') return before === text;
  const bytes = new TextEncoder().encode(text);
  return bytes.length === before.length && bytes.every((b, i) => b === before[i]);
}

/** Loads a whole environment; its warnings, or InvalidArgument with file/field paths. */
export function validateFiles(files: ReadonlyMap<string, Uint8Array | string>): Diagnostic[] {
  const result = loadEnvironment(files);
  if (!result.ok)
    throw errors.invalidArgument(
      `the change does not validate: ${result.errors[0]?.message ?? 'invalid'}`,
      toFieldViolations(result.errors),
    );
  return result.warnings;
}
