/**
 * An environment's feature files at one revision, editable document by document. Edits keep every
 * flag and segment in the file (and document) it already lives in; only touched files are
 * re-serialised (serializeDocument), so commits stay minimal. `validate` loads the WHOLE edited
 * environment through loadEnvironment: errors → InvalidArgument with file/field paths, nothing written.
 */
import { errors } from '../errors.js';
import { toFieldViolations, type Diagnostic } from '../format/diagnostics.js';
import { loadEnvironment } from '../format/load-environment.js';
import { serializeDocument } from '../format/serialize.js';
import type { Document, Environment } from '../model/schema.js';

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

  /** Changed files, keyed relative to the environment directory; `null` deletes. */
  changes(): Map<string, string | null> {
    const out = new Map<string, string | null>();
    for (const file of this.dirty) {
      const list = this.docs.get(file) ?? [];
      const json = /\.json$/iu.test(file);
      const text =
        list.length === 0
          ? null
          : json
            ? list.map((d) => serializeDocument(d, { format: 'json' })).join('')
            : list.map((d) => serializeDocument(d)).join('---\n');
      const before = this.files.get(file);
      const same = before !== undefined && text !== null && sameContent(before, text);
      if (!same && !(text === null && before === undefined)) out.set(file, text);
    }
    return out;
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
