/**
 * JSON feature files: one or more concatenated JSON values. A linear scanner splits the values
 * and measures nesting without recursion; JSON.parse reads each value (strict syntax, fast), and
 * source positions are computed only when a diagnostic needs them (see lazyLocator). Numbers stay
 * numbers: like Go's encoding/json, a number in a string field is an error in JSON.
 */
import { diagnostic } from './diagnostics.js';
import {
  lazyLocator,
  limitError,
  parseYamlStream,
  rejectForbiddenKeys,
  valueDepthWithin,
  type ParseContext,
  type RawDocument,
} from './parse-yaml.js';
import { positionAt } from './source-map.js';

interface Span {
  start: number;
  end: number;
}

/** Parses a JSON stream (concatenated values) into raw documents. */
export function parseJsonStream(text: string, ctx: ParseContext): RawDocument[] {
  const spans = splitValues(text, ctx);
  if (spans === undefined) return [];
  const out: RawDocument[] = [];
  spans.forEach((span, index) => {
    const slice = text.slice(span.start, span.end);
    const parsed = parseJson(slice);
    if ('error' in parsed) return reportSyntax(slice, span, parsed.error, ctx);
    const locate = lazyLocator(slice, span.start, ctx);
    // The scanner bounded bracket depth already; this is a cheap second guard on the value.
    if (!valueDepthWithin(parsed.value, ctx.limits.maxDepth)) return;
    if (!rejectForbiddenKeys(parsed.value, locate, ctx) && parsed.value !== null)
      out.push({ index, value: parsed.value, locate });
  });
  return out;
}

/** A syntax error: yaml's reader usually says where; otherwise JSON.parse's offset is used. */
function reportSyntax(
  slice: string,
  span: Span,
  error: { message: string; offset: number },
  ctx: ParseContext,
): void {
  const before = ctx.errors.length;
  parseYamlStream(slice, span.start, 'json', ctx);
  if (ctx.errors.length > before) return;
  ctx.errors.push(
    diagnostic('error', 'syntax', `${error.message} (fix the JSON syntax)`, {
      file: ctx.file,
      position: positionAt(ctx.starts, span.start + error.offset),
    }),
  );
}

/** Splits top-level values; reports excess depth or document count. Undefined on a limit error. */
function splitValues(text: string, ctx: ParseContext): Span[] | undefined {
  const spans: Span[] = [];
  let i = skipSpace(text, 0);
  while (i < text.length) {
    if (spans.length >= ctx.limits.maxDocumentsPerFile) {
      ctx.errors.push(
        limitError(
          ctx,
          'too-many-documents',
          `more than ${ctx.limits.maxDocumentsPerFile} documents in one file (split the file or raise maxDocumentsPerFile)`,
          i,
        ),
      );
      return undefined;
    }
    const end = scanValue(text, i, ctx);
    if (end === undefined) return undefined;
    spans.push({ start: i, end });
    i = skipSpace(text, end);
  }
  return spans;
}

/** End offset of the value starting at `start`; checks depth as it goes. */
function scanValue(text: string, start: number, ctx: ParseContext): number | undefined {
  const first = text[start];
  if (first !== '{' && first !== '[') {
    if (first === '"') return scanString(text, start);
    let i = start;
    while (i < text.length && !/[\s{}[\]"]/u.test(text[i] as string)) i++;
    return Math.max(i, start + 1);
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = scanString(text, i) - 1;
    else if (c === '{' || c === '[') {
      if (++depth > ctx.limits.maxDepth) {
        ctx.errors.push(
          limitError(
            ctx,
            'too-deep',
            `nesting deeper than ${ctx.limits.maxDepth} levels (flatten the document)`,
            i,
          ),
        );
        return undefined;
      }
    } else if ((c === '}' || c === ']') && --depth === 0) return i + 1;
  }
  return text.length;
}

function scanString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/u.test(text[i] as string)) i++;
  return i;
}

/** JSON.parse's value, or its error with the offset it names (0 when it names none). */
function parseJson(
  slice: string,
): { value: unknown } | { error: { message: string; offset: number } } {
  try {
    return { value: JSON.parse(slice) as unknown };
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/u.exec(message);
    const clean = (message.split(/ in JSON at position|, "/u)[0] ?? message).trim();
    return { error: { message: clean, offset: at ? Number(at[1]) : 0 } };
  }
}
