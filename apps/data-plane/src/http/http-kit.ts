/**
 * Small node:http helpers for the hot path: bounded body reading, JSON answers (with `?pretty`
 * and optional gzip), and the one mapping of the error vocabulary to Flipt's REST error shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import {
  GRPC_STATUS,
  HTTP_STATUS,
  errors,
  isSwitchyardError,
  parseJsonWithLimits,
} from '@switchyard/flags/runtime';
import type { ErrorReason, SwitchyardError } from '@switchyard/flags';

/** Per-request context shared by route handlers. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** Path without query string and without trailing slash. */
  path: string;
  /** Raw query string (without `?`); parse with `query(ctx)`. */
  search: string;
  requestId: string;
  /** True when `requestId` was generated here (not sent by the client). */
  generatedId: boolean;
  pretty: boolean;
  /** Route label for metrics. */
  route: string;
  maxBodyBytes: number;
  /** `performance.now()` when the request arrived. */
  start: number;
  /** Answers the request with the error (the server's one error path; not a per-request closure). */
  fail: (ctx: RequestContext, e: unknown) => void;
}

/** `.000Z` … `.999Z`: the millisecond suffixes of an ISO timestamp. */
const MS_SUFFIX = Array.from({ length: 1000 }, (_, i) => `.${String(i).padStart(3, '0')}Z`);
let lastMs = 0;
let lastIso = '';
let lastSecond = -1;
/** `YYYY-MM-DDTHH:MM:SS` of `lastSecond`. */
let secondPrefix = '';

/**
 * RFC 3339 UTC timestamp of now (hot path). Date#toISOString costs about 2 µs, so it runs once
 * per second for the prefix; within the second only the millisecond suffix changes.
 */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    const second = Math.floor(ms / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      secondPrefix = new Date(second * 1000).toISOString().slice(0, 19);
    }
    lastIso = secondPrefix + MS_SUFFIX[ms - second * 1000]!;
  }
  return lastIso;
}

/** Parsed query parameters (parsed on demand: most hot-path requests have none). */
export function query(ctx: RequestContext): URLSearchParams {
  return new URLSearchParams(ctx.search);
}

/** Body too large: 413 with Flipt's error shape (code 8, ResourceExhausted). */
function payloadTooLarge(limit: number): SwitchyardError {
  return errors.payloadTooLarge(`request body larger than ${limit} bytes`);
}

/** Reads the whole body, failing fast past the limit. */
export function readBody(ctx: RequestContext): Promise<Buffer> {
  const { req, maxBodyBytes } = ctx;
  const declared = Number(req.headers['content-length']);
  if (declared > maxBodyBytes) return Promise.reject(payloadTooLarge(maxBodyBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBodyBytes) {
        reject(payloadTooLarge(maxBodyBytes));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Reads the body and calls `then` with it synchronously on the stream's 'end', with no promise or
 * microtask hop (the evaluate routes' hot path). Anything failing, the read or `then` itself, goes
 * to `ctx.fail`, once; `then` never runs after a failure.
 */
export function onBody(ctx: RequestContext, then: (body: Buffer) => void): void {
  const { req, maxBodyBytes } = ctx;
  const declared = Number(req.headers['content-length']);
  if (declared > maxBodyBytes) return ctx.fail(ctx, payloadTooLarge(maxBodyBytes));
  let first: Buffer | undefined;
  let chunks: Buffer[] | undefined;
  let size = 0;
  let failed = false;
  const fail = (e: unknown): void => {
    if (failed) return;
    failed = true;
    ctx.fail(ctx, e);
  };
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > maxBodyBytes) {
      fail(payloadTooLarge(maxBodyBytes));
      req.removeAllListeners('data');
      req.resume();
      return;
    }
    if (first === undefined) first = c;
    else (chunks ??= [first]).push(c);
  });
  req.on('end', () => {
    if (failed) return;
    try {
      then(chunks ? Buffer.concat(chunks) : (first ?? EMPTY));
    } catch (e) {
      fail(e);
    }
  });
  req.on('error', fail);
}

const EMPTY = Buffer.alloc(0);

/**
 * Reads and parses the body as JSON whatever the Content-Type (the Flipt SDK sends none). Nesting
 * is checked before parsing (libs/flags' one depth-limited parse): a deep body is a 400 naming
 * the limit, never a stack overflow further on.
 */
export function readJson(ctx: RequestContext): Promise<unknown> {
  return readBody(ctx).then(parseBody);
}

function parseBody(buf: Buffer): unknown {
  return parseJsonBody(buf.toString('utf8'));
}

/** Parses a request body's text as {@link readJson} does (an empty body is `{}`). */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) return {};
  try {
    return parseJsonWithLimits(text, { field: 'body' });
  } catch (e) {
    // Syntax errors keep Flipt's wording; the depth error names the limit.
    throw isSwitchyardError(e) && e.meta['reason'] === 'too-deep'
      ? e
      : errors.invalidArgument('invalid JSON request body');
  }
}

/** Smaller answers are not worth compressing (CPU on the hot path for a few hundred bytes). */
const GZIP_MIN_BYTES = 1024;

/** Whether the client accepts gzip. */
export function acceptsGzip(ctx: RequestContext): boolean {
  return /\bgzip\b/.test(ctx.req.headers['accept-encoding'] ?? '');
}

/** Sends a JSON body (a serialisable value, or pre-serialised text). */
export function sendJson(
  ctx: RequestContext,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): void {
  let text = typeof body === 'string' ? body : JSON.stringify(body);
  if (ctx.pretty) text = JSON.stringify(JSON.parse(text), null, 2);
  const res = ctx.res;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  if (headers) for (const k in headers) res.setHeader(k, headers[k]!);
  if (text.length > GZIP_MIN_BYTES && acceptsGzip(ctx)) {
    res.setHeader('content-encoding', 'gzip');
    res.setHeader('vary', 'accept-encoding');
    res.end(gzipSync(text));
    return;
  }
  res.end(text);
}

/** Normalises anything thrown into a SwitchyardError; unknown errors are Internal. */
export function toSwitchyardError(e: unknown): SwitchyardError {
  if (isSwitchyardError(e)) return e;
  return errors.internal();
}

/** HTTP status of an error: its reason's own status when it has one, else its code's. */
export function httpStatusOf(e: SwitchyardError): number {
  const reason: ErrorReason | undefined = e.reason;
  switch (reason) {
    case undefined:
      return HTTP_STATUS[e.code];
    case 'PayloadTooLarge':
      return 413;
    // The data plane serves no writes and no idempotent requests; were these raised, their codes'
    // statuses are the closest the Flipt API knows.
    case 'PreconditionRequired':
    case 'IdempotencyKeyReused':
      return HTTP_STATUS[e.code];
    default: {
      const unknown: never = reason;
      throw new Error(`unmapped error reason ${String(unknown)}`);
    }
  }
}

/** Flipt's grpc-gateway error body. */
export function errorBody(e: SwitchyardError): {
  code: number;
  message: string;
  details: unknown[];
} {
  return { code: GRPC_STATUS[e.code], message: e.message, details: [] };
}

/** Sends an error in Flipt's shape. */
export function sendError(ctx: RequestContext, e: SwitchyardError): void {
  if (ctx.res.headersSent) {
    ctx.res.end();
    return;
  }
  sendJson(ctx, httpStatusOf(e), errorBody(e));
}

/** First value of a header. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
