import {
  parseFeatureFile,
  patchFeatureText,
  serializeDocument,
  validateEnvironment,
  type Diagnostic,
  type Document,
  type Flag,
  type Segment,
} from '@switchyard/flags';
import { validateFlagYaml } from './validate';

/**
 * The YAML tab works on an object's lines exactly as stored in its feature file. To parse,
 * validate and patch them with the same libs/flags code the server runs, the lines are wrapped in
 * a small document (`version`, `namespace`, then the list key); diagnostics are mapped back to
 * the lines of the file.
 */

/** The stored text of one object, as `GET …/source` returns it. */
export interface StoredSource {
  revision: string;
  file: string;
  startLine: number;
  endLine: number;
  text: string;
  version?: string | undefined;
}

/** Which list the object lives in. */
export type SourceKind = 'flags' | 'segments';

function header(ns: string, kind: SourceKind, src: StoredSource): string {
  const version = src.version !== undefined ? `version: ${JSON.stringify(src.version)}\n` : '';
  return `${version}namespace: ${JSON.stringify(ns)}\n${kind}:\n`;
}

function wrapperDoc(ns: string, kind: SourceKind, src: StoredSource, v: Flag | Segment): Document {
  return {
    ...(src.version !== undefined ? { version: src.version as Document['version'] } : {}),
    namespace: { key: ns },
    flags: kind === 'flags' ? [v as Flag] : [],
    segments: kind === 'segments' ? [v as Segment] : [],
  };
}

/**
 * `text` (the object's lines, holding `from`) rewritten to hold `to`, changing only what differs
 * (comments and formatting kept), exactly as the server patches files on form saves.
 */
export function patchSource(
  ns: string,
  kind: SourceKind,
  src: StoredSource,
  text: string,
  from: Flag | Segment,
  to: Flag | Segment,
): string {
  if (JSON.stringify(from) === JSON.stringify(to)) return text;
  const head = header(ns, kind, src);
  const patched = patchFeatureText(
    'source.yaml',
    head + text,
    [wrapperDoc(ns, kind, src, from)],
    [wrapperDoc(ns, kind, src, to)],
  );
  if (patched?.startsWith(head)) return patched.slice(head.length);
  // Not patchable (the text does not hold `from`): the canonical spelling, at the same indentation.
  const canonical = serializeDocument(wrapperDoc(ns, kind, src, to));
  const item = canonical.slice(canonical.indexOf(`${kind}:\n`) + kind.length + 2);
  const indent = /^ */u.exec(text)?.[0] ?? '';
  return item
    .split('\n')
    .map((l) => (l === '' ? l : indent + l.replace(/^ {2}/u, '')))
    .join('\n');
}

/** Moves wrapper-relative lines to lines of the file. */
function toFileLines(ns: string, kind: SourceKind, src: StoredSource, d: Diagnostic[]) {
  const skip = header(ns, kind, src).split('\n').length - 1;
  return d.map((e) =>
    e.line === undefined ? e : { ...e, line: Math.max(e.line - skip, 1) + src.startLine - 1 },
  );
}

/** What the tab's text means: the flag it defines, or why not (errors at file lines). */
export function validateFlagSource(
  ns: string,
  key: string,
  src: StoredSource,
  text: string,
  segments: readonly Segment[],
): { flag?: Flag | undefined; errors: Diagnostic[] } {
  const r = validateFlagYaml(ns, key, header(ns, 'flags', src) + text, segments);
  return { flag: r.flag, errors: toFileLines(ns, 'flags', src, r.errors) };
}

/** What the tab's text means for a segment: the segment, or errors at file lines. */
export function validateSegmentSource(
  ns: string,
  key: string,
  src: StoredSource,
  text: string,
): { segment?: Segment | undefined; errors: Diagnostic[] } {
  const parsed = parseFeatureFile('segment.yml', header(ns, 'segments', src) + text);
  const fail = (errors: Diagnostic[]) => ({ errors: toFileLines(ns, 'segments', src, errors) });
  if (parsed.errors.length > 0) return fail(parsed.errors);
  const doc = parsed.documents[0];
  const one = (message: string) => ({
    errors: [
      { severity: 'error', code: 'console', message, line: src.startLine, column: 1 },
    ] as Diagnostic[],
  });
  if (parsed.documents.length !== 1 || !doc || doc.document.flags.length > 0)
    return one('the tab holds exactly one segment');
  const segs = doc.document.segments;
  if (segs.length !== 1) return one('the tab holds exactly one segment');
  if (segs[0]!.key !== key) return one(`the key must stay "${key}" (create a new segment instead)`);
  const result = validateEnvironment([doc]);
  return result.errors.length > 0 ? fail(result.errors) : { segment: segs[0], errors: [] };
}
