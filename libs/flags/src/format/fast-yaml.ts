/**
 * A fast reader for the plain block YAML that feature files are almost always written in: one
 * document of block maps and sequences, single-line plain or quoted scalars and single-line flow
 * collections. yaml's Parser and Composer build a concrete syntax tree and node objects with
 * positions for every token, which costs about 0.8 ms per kB; this reader builds the plain value
 * directly, about 20 times faster. It never decides anything itself: whatever it does not
 * recognise with certainty (anchors, aliases, tags, block or multi-line scalars, escapes,
 * several documents, duplicate or prototype keys, tabs, CRs, unusual characters, too deep
 * nesting) makes it give up, and the caller parses the text with the full parser, which also
 * reports every error with its position. Scalars are resolved by yaml's own core-schema tags and
 * the written text of numbers and booleans is kept in string fields exactly like the full path
 * does, so both give identical values.
 */
import { Schema, isScalar } from 'yaml';
import { FORBIDDEN_KEYS, STRING_FIELDS } from './yaml-keys.js';

/** Thrown internally when the text is outside the recognised subset (one instance: no stack per use). */
const GIVE_UP = new Error('outside the fast YAML subset');

/** Core-schema tags with a test, in yaml's own resolution order. */
const CORE_TAGS = new Schema({ schema: 'core' }).tags.filter(
  (t) => t.default === true && t.test !== undefined,
);

/** Characters that cannot start a plain scalar without YAML reading them as syntax. */
const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`']);

/** Anything the subset does not handle: control characters, tabs, CR, BOM, line separators, surrogates. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNUSUAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/u;

interface Line {
  indent: number;
  text: string;
}

/** Where a scalar sits, to keep the written text of numbers and booleans in string fields. */
interface Field {
  name: string | undefined;
  listItem: boolean;
  /** Inside an attachment or metadata: values are kept as YAML reads them. */
  free: boolean;
}

const ROOT: Field = { name: undefined, listItem: false, free: false };

/**
 * The value of `text` as a single YAML document, or undefined when the text is outside the
 * subset (the caller then uses the full parser, which gives the same value or the errors).
 */
export function fastYamlValue(text: string, maxDepth: number): unknown {
  if (UNUSUAL.test(text)) return undefined;
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    const trimmed = trimSpacesEnd(raw);
    let indent = 0;
    while (trimmed.charCodeAt(indent) === 32) indent++;
    if (indent === trimmed.length || trimmed[indent] === '#') continue;
    // Document markers and directives belong to the full parser.
    if (indent === 0 && /^(?:---|\.\.\.)(?: |$)|^%/u.test(trimmed)) return undefined;
    lines.push({ indent, text: trimmed.slice(indent) });
  }
  if (lines.length === 0) return undefined;
  const reader = new Reader(lines, maxDepth);
  try {
    const first = lines[0] as Line;
    if (first.indent !== 0) return undefined;
    const value = reader.block(0, 1, ROOT);
    if (value === null || typeof value !== 'object') return undefined;
    return reader.at === lines.length ? value : undefined;
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

function isSeqItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

class Reader {
  at = 0;

  constructor(
    private readonly lines: Line[],
    private readonly maxDepth: number,
  ) {}

  private line(): Line | undefined {
    return this.lines[this.at];
  }

  /** A block collection whose first line is the current one, at `indent`. */
  block(indent: number, depth: number, field: Field): unknown {
    if (depth > this.maxDepth) giveUp();
    const line = this.line() as Line;
    return isSeqItem(line.text)
      ? this.seq(indent, depth, field)
      : this.map(indent, depth, field.free);
  }

  private map(indent: number, depth: number, free: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (let line = this.line(); line !== undefined; line = this.line()) {
      if (line.indent < indent) break;
      if (line.indent > indent || isSeqItem(line.text)) giveUp();
      const entry = splitKey(line.text);
      if (entry === undefined) giveUp();
      const [key, rest] = entry;
      if (seen.has(key) || FORBIDDEN_KEYS.has(key) || key === '<<') giveUp();
      seen.add(key);
      this.at++;
      const child: Field = {
        name: key,
        listItem: false,
        free: free || key === 'attachment' || key === 'metadata',
      };
      out[key] = this.valueAfterIndicator(rest, indent, depth, child, true);
    }
    return out;
  }

  private seq(indent: number, depth: number, field: Field): unknown[] {
    const out: unknown[] = [];
    const item: Field = { name: field.name, listItem: true, free: field.free };
    for (let line = this.line(); line !== undefined; line = this.line()) {
      if (line.indent < indent || (line.indent === indent && !isSeqItem(line.text))) break;
      if (line.indent > indent) giveUp();
      const rest = line.text === '-' ? '' : line.text.slice(2);
      const content = trimSpacesStart(rest);
      const pad = rest.length - content.length;
      if (content.startsWith('-')) giveUp();
      if (content !== '' && content[0] !== '#' && splitKey(content) !== undefined) {
        // `- key: value`: a map whose keys line up with the first one.
        line.indent = indent + 2 + pad;
        line.text = content;
        if (depth + 1 > this.maxDepth) giveUp();
        out.push(this.map(line.indent, depth + 1, item.free));
        continue;
      }
      this.at++;
      out.push(this.valueAfterIndicator(content, indent, depth, item, false));
    }
    return out;
  }

  /**
   * The value after `key:` or `- `: inline (scalar or flow collection) or, when nothing follows,
   * the block below (for a map value, a sequence may start at the key's own indentation).
   */
  private valueAfterIndicator(
    rest: string,
    indent: number,
    depth: number,
    field: Field,
    mapValue: boolean,
  ): unknown {
    const next = this.line();
    if (rest === '' || rest[0] === '#') {
      if (next !== undefined && next.indent > indent)
        return this.block(next.indent, depth + 1, field);
      if (mapValue && next !== undefined && next.indent === indent && isSeqItem(next.text))
        return this.block(indent, depth + 1, field);
      return null;
    }
    if (next !== undefined && next.indent > indent) giveUp(); // a multi-line scalar or an error
    return inlineValue(rest, depth, this.maxDepth, field);
  }
}

/** `key: rest` or `key:` → [key, rest without leading spaces]; undefined when the line is not a map entry. */
function splitKey(text: string): [string, string] | undefined {
  let key: string;
  let after: number;
  if (text[0] === '"' || text[0] === "'") {
    const q = quoted(text, 0);
    if (q === undefined) return undefined;
    [key, after] = q;
    if (text[after] !== ':') return undefined;
  } else {
    after = text.indexOf(': ');
    if (after < 0 && text.endsWith(':')) after = text.length - 1;
    if (after <= 0) return undefined;
    const plain = text.slice(0, after);
    if (
      !plainStart(plain) ||
      plain !== trimSpacesEnd(plain) ||
      plain[0] === ' ' ||
      / #/u.test(plain)
    )
      return undefined;
    const value = resolvePlain(plain);
    if (typeof value !== 'string') return undefined;
    key = value;
  }
  if (after > 1024) return undefined; // yaml refuses implicit keys this long
  const rest = text.slice(after + 1);
  if (rest !== '' && rest[0] !== ' ') return undefined;
  return [key, trimSpacesStart(rest)];
}

/** A plain scalar may start with this text (not an indicator, except `-?:` before a non-space). */
function plainStart(text: string): boolean {
  const c = text[0];
  if (c === undefined) return false;
  if (!INDICATORS.has(c)) return true;
  return (c === '-' || c === '?' || c === ':') && text.length > 1 && text[1] !== ' ';
}

/** A quoted scalar starting at `start`: [value, index after the closing quote]; undefined for escapes or no closing quote. */
function quoted(text: string, start: number): [string, number] | undefined {
  const q = text[start];
  if (q === '"') {
    const end = text.indexOf('"', start + 1);
    if (end < 0) return undefined;
    const body = text.slice(start + 1, end);
    return body.includes('\\') ? undefined : [body, end + 1];
  }
  let value = '';
  let i = start + 1;
  for (;;) {
    const end = text.indexOf("'", i);
    if (end < 0) return undefined;
    value += text.slice(i, end);
    if (text[end + 1] !== "'") return [value, end + 1];
    value += "'";
    i = end + 2;
  }
}

/** First characters of every non-string core-schema scalar: `~`, null, true/false, numbers, `.inf`/`.nan`. */
const NON_STRING_START = new Set([...'~nNtTfF0123456789+-.']);

/** yaml's core-schema resolution of a plain scalar (null, booleans, numbers, else the text). */
function resolvePlain(text: string): unknown {
  // Most keys and values start with another letter: skip the tag tests for them.
  if (text !== '' && !NON_STRING_START.has(text[0] as string)) return text;
  for (const tag of CORE_TAGS) {
    if (!tag.test?.test(text)) continue;
    let failed = false;
    const r = tag.resolve(text, () => (failed = true), { intAsBigInt: false });
    if (failed) giveUp();
    return isScalar(r) ? r.value : r;
  }
  return text;
}

/** A scalar's value where it sits: numbers and booleans keep their text in string fields. */
function scalarValue(text: string, field: Field): unknown {
  const value = resolvePlain(text);
  if (typeof value !== 'number' && typeof value !== 'boolean') return value;
  const stringy =
    !field.free &&
    field.name !== undefined &&
    STRING_FIELDS.has(field.name) &&
    (!field.listItem || field.name === 'keys' || field.name === 'segment');
  return stringy ? text : value;
}

/** An inline value (after `key: ` or `- `): one quoted or plain scalar or a flow collection. */
function inlineValue(text: string, depth: number, maxDepth: number, field: Field): unknown {
  const c = text[0];
  if (c === '"' || c === "'") {
    const q = quoted(text, 0);
    if (q === undefined || !onlyComment(text, q[1])) giveUp();
    return q[0];
  }
  if (c === '[' || c === '{') {
    const flow = new Flow(text, maxDepth);
    const value = flow.collection(depth + 1, field);
    if (!onlyComment(text, flow.at)) giveUp();
    return value;
  }
  const hash = text.indexOf(' #');
  const plain = trimSpacesEnd(hash < 0 ? text : text.slice(0, hash));
  if (!plainStart(plain) || /: |:$/u.test(plain)) giveUp();
  return scalarValue(plain, field);
}

/** True when only spaces and a comment follow `at`. */
function onlyComment(text: string, at: number): boolean {
  const rest = text.slice(at);
  const trimmed = trimSpacesStart(rest);
  return trimmed === '' || (trimmed[0] === '#' && trimmed.length < rest.length);
}

/** A flow collection on one line: `{a: b, c: [d, e]}` with plain or quoted scalars. */
class Flow {
  at = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  collection(depth: number, field: Field): unknown {
    if (depth > this.maxDepth) giveUp();
    const open = this.text[this.at];
    const close = open === '[' ? ']' : '}';
    this.at++;
    this.spaces();
    const list: unknown[] = [];
    const map: Record<string, unknown> = {};
    const seen = new Set<string>();
    if (this.text[this.at] === close) {
      this.at++;
      return open === '[' ? list : map;
    }
    for (;;) {
      if (open === '[') {
        list.push(this.value(depth, { name: field.name, listItem: true, free: field.free }));
      } else {
        const key = this.value(depth, ROOT);
        if (typeof key !== 'string' || seen.has(key) || FORBIDDEN_KEYS.has(key) || key === '<<')
          giveUp();
        seen.add(key);
        if (this.text[this.at] !== ':' || this.text[this.at + 1] !== ' ') giveUp();
        this.at += 2;
        this.spaces();
        const free = field.free || key === 'attachment' || key === 'metadata';
        map[key] = this.value(depth, { name: key, listItem: false, free });
      }
      this.spaces();
      const c = this.text[this.at];
      this.at++;
      if (c === close) return open === '[' ? list : map;
      if (c !== ',') giveUp();
      this.spaces();
      // A trailing comma or an empty entry is left to the full parser.
      if (this.text[this.at] === close || this.text[this.at] === ',') giveUp();
    }
  }

  private value(depth: number, field: Field): unknown {
    const c = this.text[this.at];
    if (c === '[' || c === '{') return this.collection(depth + 1, field);
    if (c === '"' || c === "'") {
      const q = quoted(this.text, this.at);
      if (q === undefined) giveUp();
      this.at = q[1];
      return q[0];
    }
    const m = /^[A-Za-z0-9_.+][A-Za-z0-9_.+\- ]*|^-[A-Za-z0-9_.][A-Za-z0-9_.+\- ]*/u.exec(
      this.text.slice(this.at, this.at + 1100),
    );
    if (m === null) giveUp();
    const plain = trimSpacesEnd(m[0]);
    this.at += plain.length;
    return scalarValue(plain, field);
  }

  private spaces(): void {
    while (this.text[this.at] === ' ') this.at++;
  }
}

/** YAML separates with spaces only (String#trim would also eat no-break and other Unicode spaces). */
function trimSpacesEnd(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return end === text.length ? text : text.slice(0, end);
}

function trimSpacesStart(text: string): string {
  let start = 0;
  while (text.charCodeAt(start) === 32) start++;
  return start === 0 ? text : text.slice(start);
}
