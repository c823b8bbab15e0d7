/**
 * Parses one feature file into canonical documents. The extension picks the decoder
 * (`.yaml`/`.yml` → YAML 1.2 core-schema stream, `.json` → concatenated JSON values); every
 * document is checked against the closed schema and the version rules of its own `version`.
 */
import { documentSchema, type Document } from '../model/schema.js';
import { diagnostic, formatPath, type Diagnostic } from './diagnostics.js';
import { byteLength, resolveLimits, type LoadLimits } from './limits.js';
import { parseJsonStream } from './parse-json.js';
import { parseYamlStream, type ParseContext, type RawDocument } from './parse-yaml.js';
import { schemaDiagnostics } from './schema-diagnostics.js';
import { lineStarts, type Locator } from './source-map.js';
import { rawVersionViolations } from './version-rules.js';

/** A canonical document and where it came from. */
export interface SourcedDocument {
  /** Path of the file, relative to the environment root. */
  file: string;
  /** Position of the document in the file's stream (0-based). */
  index: number;
  document: Document;
  /** Maps a field path of the document to its line and column (absent for documents built in code). */
  locate?: Locator | undefined;
}

/** What parsing one file produced. */
export interface ParseFileResult {
  documents: SourcedDocument[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** Decoder for a path, by extension; undefined for anything else. */
export function fileFormat(path: string): 'yaml' | 'json' | undefined {
  if (/\.ya?ml$/iu.test(path)) return 'yaml';
  if (/\.json$/iu.test(path)) return 'json';
  return undefined;
}

/**
 * Parses and schema-checks one feature file; size is checked before anything is decoded.
 * `exact` skips the fast YAML path (results are the same; tests compare the two).
 */
export function parseFeatureFile(
  path: string,
  content: Uint8Array | string,
  limits?: Partial<LoadLimits>,
  options?: { exact?: boolean },
): ParseFileResult {
  const lim = resolveLimits(limits);
  const format = fileFormat(path);
  const fail = (code: string, message: string): ParseFileResult => ({
    documents: [],
    errors: [diagnostic('error', code, message, { file: path })],
    warnings: [],
  });
  if (format === undefined)
    return fail(
      'bad-extension',
      'unexpected extension (feature files end in .yaml, .yml or .json; rename the file or exclude it)',
    );
  const size = byteLength(content);
  if (size > lim.maxFileBytes)
    return fail(
      'file-too-large',
      `file is ${size} bytes, more than the limit of ${lim.maxFileBytes} (split it into several files)`,
    );
  const text = decode(content);
  if (text === undefined) return fail('bad-encoding', 'file is not valid UTF-8 (save it as UTF-8)');
  const ctx: ParseContext = {
    file: path,
    limits: lim,
    starts: lineStarts(text),
    errors: [],
    warnings: [],
    exact: options?.exact,
  };
  const raws =
    format === 'yaml' ? parseYamlStream(text, 0, 'core', ctx) : parseJsonStream(text, ctx);
  const documents: SourcedDocument[] = [];
  for (const raw of raws) {
    const doc = toDocument(raw, path, ctx.errors);
    if (doc !== undefined) documents.push(doc);
    if (doc !== undefined && format === 'json') ctx.warnings.push(...jsonSegmentStrings(raw, path));
  }
  return { documents, errors: sortByPosition(ctx.errors), warnings: sortByPosition(ctx.warnings) };
}

/** Orders diagnostics by line and column (zod reports in evaluation order). */
export function sortByPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}

function toDocument(
  raw: RawDocument,
  file: string,
  errors: Diagnostic[],
): SourcedDocument | undefined {
  for (const v of rawVersionViolations(raw.value)) {
    errors.push(
      diagnostic('error', 'version', v.message, {
        file,
        position: raw.locate(v.path, true),
        path: formatPath(v.path),
      }),
    );
  }
  const parsed = documentSchema.safeParse(raw.value, { reportInput: true });
  if (!parsed.success) {
    errors.push(...schemaDiagnostics(parsed.error.issues, file, raw.locate));
    return undefined;
  }
  return { file, index: raw.index, document: parsed.data, locate: raw.locate };
}

/** Flipt v2's JSON decoder takes rule segments only in object form; the string form fails to load there. */
function jsonSegmentStrings(raw: RawDocument, file: string): Diagnostic[] {
  const flags = (raw.value as { flags?: unknown }).flags;
  if (!Array.isArray(flags)) return [];
  return flags.flatMap((flag: { rules?: unknown }, i) =>
    (Array.isArray(flag.rules) ? (flag.rules as Array<{ segment?: unknown }>) : []).flatMap(
      (rule, j) => {
        if (typeof rule.segment !== 'string') return [];
        const at = ['flags', i, 'rules', j, 'segment'];
        const message = `Flipt v2 cannot read a string segment in a JSON file (write "segment": {"keys": [${JSON.stringify(rule.segment)}], "operator": "OR_SEGMENT_OPERATOR"})`;
        return [
          diagnostic('warning', 'compat', message, {
            file,
            position: raw.locate(at),
            path: formatPath(at),
          }),
        ];
      },
    ),
  );
}

/** Text of the file without a byte-order mark; undefined when bytes are not UTF-8. */
function decode(content: Uint8Array | string): string | undefined {
  if (typeof content === 'string') return content.startsWith('\uFEFF') ? content.slice(1) : content;
  try {
    // TextDecoder drops a leading BOM by default; `fatal` rejects invalid sequences.
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return undefined;
  }
}
