/**
 * A fast path for the body SDKs send to `/evaluate/v1/{boolean,variant}`: one object of known
 * camelCase string fields plus a `context` object of strings, with no escape and no control
 * character anywhere (so no newline either; spaces are fine). It reads the fields
 * straight out of the text, with no intermediate object and no key internalisation (JSON.parse
 * plus the nesting scan cost more than the evaluation itself). Anything else (an unknown or
 * repeated key, a proto-name key, an escape, a number, a null outside the context, invalid JSON)
 * returns undefined and the caller takes the general path, so the fast path never decides
 * an outcome: for every body it accepts, the fields equal what JSON.parse and the decoder read
 * (property-tested against them in request-scan.test.ts).
 */

/** The string fields of an evaluation request, `''` when absent. */
export interface ScannedRequest {
  namespaceKey: string;
  flagKey: string;
  entityId: string;
  requestId: string;
  environmentKey: string;
  /** Null prototype, like the decoder's; undefined when absent. */
  context: Record<string, string> | undefined;
}

const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;

// Top-level keys the fast path accepts, as bits (a repeated key declines).
const NAMESPACE = 1;
const FLAG = 2;
const ENTITY = 4;
const REQUEST = 8;
const ENVIRONMENT = 16;
const CONTEXT = 32;
const REFERENCE = 64;

/** A backslash (an escape) or a control character (a newline, or invalid JSON in a string). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ESCAPE_OR_CONTROL = /[\\\x00-\x1f]/;

/** Index of the first non-space character at or after `i` (the only whitespace left, see above). */
function ws(t: string, i: number): number {
  while (t.charCodeAt(i) === 0x20) i++;
  return i;
}

/**
 * Index of the closing quote of the string whose content starts at `i`, or -1 when it has none.
 * Without escapes (checked up front) the next quote is the closing one.
 */
function stringEnd(t: string, i: number): number {
  return t.indexOf('"', i);
}

/** The bit of the top-level key `t[start, end)`, or 0 for any other key. */
function keyBit(t: string, start: number, end: number): number {
  switch (end - start) {
    case 7:
      if (t.startsWith('flagKey', start)) return FLAG;
      return t.startsWith('context', start) ? CONTEXT : 0;
    case 8:
      return t.startsWith('entityId', start) ? ENTITY : 0;
    case 9:
      if (t.startsWith('requestId', start)) return REQUEST;
      return t.startsWith('reference', start) ? REFERENCE : 0;
    case 12:
      return t.startsWith('namespaceKey', start) ? NAMESPACE : 0;
    case 14:
      return t.startsWith('environmentKey', start) ? ENVIRONMENT : 0;
    default:
      return 0;
  }
}

/**
 * Context keys read recently. A key found here is reused instead of sliced: V8 internalises a
 * string used as a property key, so a reused key costs no hashing and no string-table lookup on
 * the store, where a fresh slice costs both on every request. Bounded: a client inventing keys
 * only cycles the table.
 */
const KEY_CACHE_SIZE = 32;
const keyCache: string[] = [];
let keyCacheNext = 0;

/** The context key `t[start, end)`, from the cache when it holds the same text. */
function contextKey(t: string, start: number, end: number): string {
  const length = end - start;
  for (let k = 0; k < keyCache.length; k++) {
    const cached = keyCache[k]!;
    if (cached.length === length && t.startsWith(cached, start)) return cached;
  }
  const key = t.slice(start, end);
  if (keyCache.length < KEY_CACHE_SIZE) keyCache.push(key);
  else {
    keyCache[keyCacheNext] = key;
    keyCacheNext = (keyCacheNext + 1) % KEY_CACHE_SIZE;
  }
  return key;
}

/** Where the scan stopped, and the context object read. */
interface ContextScan {
  end: number;
  context: Record<string, string>;
}

/** Reads a context object whose `{` is at `i`: string values, `null` as `''` (as the decoder). */
function scanContext(t: string, i: number): ContextScan | undefined {
  const context = Object.create(null) as Record<string, string>;
  i = ws(t, i + 1);
  if (t.charCodeAt(i) === CLOSE) return { end: i + 1, context };
  for (;;) {
    if (t.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = stringEnd(t, i + 1);
    if (keyEnd < 0) return undefined;
    const key = contextKey(t, i + 1, keyEnd);
    i = ws(t, keyEnd + 1);
    if (t.charCodeAt(i) !== COLON) return undefined;
    i = ws(t, i + 1);
    if (t.charCodeAt(i) === QUOTE) {
      const end = stringEnd(t, i + 1);
      if (end < 0) return undefined;
      context[key] = t.slice(i + 1, end);
      i = end + 1;
    } else if (t.startsWith('null', i)) {
      context[key] = '';
      i += 4;
    } else return undefined;
    i = ws(t, i);
    const c = t.charCodeAt(i);
    if (c === CLOSE) return { end: i + 1, context };
    if (c !== COMMA) return undefined;
    i = ws(t, i + 1);
  }
}

/** The fields of a flat evaluation request body, or undefined when the general path must decide. */
export function scanEvaluationRequest(t: string): ScannedRequest | undefined {
  if (ESCAPE_OR_CONTROL.test(t)) return undefined;
  const out: ScannedRequest = {
    namespaceKey: '',
    flagKey: '',
    entityId: '',
    requestId: '',
    environmentKey: '',
    context: undefined,
  };
  let i = ws(t, 0);
  if (t.charCodeAt(i) !== OPEN) return undefined;
  i = ws(t, i + 1);
  if (t.charCodeAt(i) === CLOSE) return ws(t, i + 1) === t.length ? out : undefined;
  let seen = 0;
  for (;;) {
    if (t.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = stringEnd(t, i + 1);
    if (keyEnd < 0) return undefined;
    const bit = keyBit(t, i + 1, keyEnd);
    if (bit === 0 || (seen & bit) !== 0) return undefined;
    seen |= bit;
    i = ws(t, keyEnd + 1);
    if (t.charCodeAt(i) !== COLON) return undefined;
    i = ws(t, i + 1);
    if (bit === CONTEXT) {
      if (t.charCodeAt(i) !== OPEN) return undefined;
      const scan = scanContext(t, i);
      if (!scan) return undefined;
      out.context = scan.context;
      i = scan.end;
    } else {
      if (t.charCodeAt(i) !== QUOTE) return undefined;
      const end = stringEnd(t, i + 1);
      if (end < 0) return undefined;
      const value = t.slice(i + 1, end);
      if (bit === FLAG) out.flagKey = value;
      else if (bit === ENTITY) out.entityId = value;
      else if (bit === NAMESPACE) out.namespaceKey = value;
      else if (bit === REQUEST) out.requestId = value;
      else if (bit === ENVIRONMENT) out.environmentKey = value;
      i = end + 1;
    }
    i = ws(t, i);
    const c = t.charCodeAt(i);
    if (c === CLOSE) return ws(t, i + 1) === t.length ? out : undefined;
    if (c !== COMMA) return undefined;
    i = ws(t, i + 1);
  }
}
