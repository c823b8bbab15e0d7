/**
 * One JSON parse for untrusted text (request bodies, JSON inside flag values): nesting depth is
 * measured by a linear, iterative scan before anything is built, so a 100,000-deep `[[[…]]]`
 * is a clear InvalidArgument instead of a stack overflow later in a recursive consumer (zod,
 * JSON.stringify, canonical JSON). Brackets inside strings do not count. The limit is the same
 * as flag files' `maxDepth`, so anything a flag file may hold also passes here.
 */
import { SwitchyardError, type FieldViolation } from '../errors.js';
import { DEFAULT_LIMITS } from './limits.js';

/** The deepest nesting of arrays and objects accepted in any JSON text (same as flag files). */
export const MAX_JSON_DEPTH = DEFAULT_LIMITS.maxDepth;

/** Options of {@link parseJsonWithLimits}. */
export interface JsonParseLimits {
  /** Deepest nesting of arrays and objects (default {@link MAX_JSON_DEPTH}). */
  maxDepth?: number;
  /** Field path named in the error details, e.g. `body` (default: none). */
  field?: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Offset of the first `{` or `[` that opens a level deeper than `maxDepth`, or -1 when the text
 * stays within it. Iterative and allocation-free; unbalanced or invalid text is left to the parser.
 */
export function jsonDepthViolation(text: string, maxDepth: number = MAX_JSON_DEPTH): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string; an escape consumes the next character (so `\"` does not end it).
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return i;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return -1;
}

function violation(field: string | undefined, message: string): FieldViolation[] {
  return field === undefined ? [] : [{ path: field, message }];
}

/**
 * Throws InvalidArgument ("JSON nesting deeper than N levels", `meta.reason` "too-deep") when the
 * text nests deeper than the limit; for parsers that must build the value themselves.
 */
export function assertJsonDepth(text: string, limits: JsonParseLimits = {}): void {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const at = jsonDepthViolation(text, maxDepth);
  if (at < 0) return;
  const message = `JSON nesting deeper than ${maxDepth} levels (at offset ${at}; flatten the value)`;
  throw new SwitchyardError('InvalidArgument', message, violation(limits.field, message), {
    reason: 'too-deep',
  });
}

/**
 * Parses JSON text, refusing nesting deeper than `maxDepth` before parsing. Throws InvalidArgument
 * ("JSON nesting deeper than N levels", `meta.reason` "too-deep", or "invalid JSON: …", "syntax"),
 * never a RangeError.
 */
export function parseJsonWithLimits(text: string, limits: JsonParseLimits = {}): unknown {
  assertJsonDepth(text, limits);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    // JSON.parse's message names the offending token and position, never internal state.
    const message = `invalid JSON: ${(e as Error).message}`;
    throw new SwitchyardError('InvalidArgument', message, violation(limits.field, message), {
      reason: 'syntax',
    });
  }
}
