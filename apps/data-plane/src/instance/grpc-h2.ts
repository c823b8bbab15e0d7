/**
 * The gRPC client side an instance needs (unary calls and one server stream), on node:http2.
 * An instance is one process per organisation: @grpc/grpc-js with its proto loader costs each of
 * them about 12 MB resident and a fifth of its start-up (measured in scripts/bench/idle-instance-rss.mjs
 * and instance-wake.mjs), for four calls to one server. This speaks the same wire protocol
 * (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md): length-prefixed messages,
 * status in trailers, `grpc-timeout` for deadlines, no compression. Failures surface as
 * {@link GrpcError} with grpc-js's status codes and message format, so logs read the same.
 */
import { EventEmitter } from 'node:events';
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';

/** gRPC status codes this client produces or passes on by name in messages. */
const STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

/** The status codes used by name in this file. */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  PERMISSION_DENIED: 7,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** The end of a call: a gRPC status code and its message. */
export interface CallStatus {
  code: number;
  details: string;
}

/** A call that ended with a status other than OK. */
export class GrpcError extends Error {
  readonly code: number;
  readonly details: string;
  constructor(status: CallStatus) {
    super(`${status.code} ${STATUS_NAMES[status.code] ?? 'UNKNOWN'}: ${status.details}`);
    this.name = 'GrpcError';
    this.code = status.code;
    this.details = status.details;
  }
}

/** grpc-js's mapping of an HTTP status that is not 200 (no gRPC status received). */
function statusOfHttp(httpStatus: number): number {
  if (httpStatus === 400) return GrpcStatus.INTERNAL;
  if (httpStatus === 401) return GrpcStatus.UNAUTHENTICATED;
  if (httpStatus === 403) return GrpcStatus.PERMISSION_DENIED;
  if (httpStatus === 404) return GrpcStatus.UNIMPLEMENTED;
  if ([429, 502, 503, 504].includes(httpStatus)) return GrpcStatus.UNAVAILABLE;
  return GrpcStatus.UNKNOWN;
}

/** One message with gRPC's 5-byte prefix: uncompressed flag, big-endian length. */
function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out.writeUInt8(0, 0);
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

/**
 * Reads the response of `stream`: each message to `onMessage`, then the status once to `onEnd`
 * (from the trailers, the HTTP status, or the stream's failure).
 */
function readResponse(
  stream: ClientHttp2Stream,
  onMessage: (m: Uint8Array) => void,
  onEnd: (s: CallStatus) => void,
): { fail(s: CallStatus): void } {
  let status: CallStatus | undefined;
  let pending: Buffer = Buffer.alloc(0);
  let ended = false;
  const end = (s: CallStatus) => {
    if (ended) return;
    ended = true;
    onEnd(s);
  };
  const fromHeaders = (h: Record<string, unknown>) => {
    if (h['grpc-status'] === undefined) return;
    const message = h['grpc-message'];
    const raw = typeof message === 'string' ? message : '';
    let details = raw;
    try {
      details = decodeURIComponent(raw);
    } catch {
      /* not percent-encoded: keep as sent */
    }
    status = { code: Number(h['grpc-status']), details };
  };
  stream.on('response', (h) => {
    const http = Number(h[':status']);
    if (http !== 200 && h['grpc-status'] === undefined)
      status = { code: statusOfHttp(http), details: `Received HTTP status code ${http}` };
    else fromHeaders(h);
  });
  stream.on('trailers', fromHeaders);
  stream.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (!ended && pending.length >= 5) {
      const length = pending.readUInt32BE(1);
      if (pending.length < 5 + length) break;
      if (pending[0] !== 0) {
        stream.close(constants.NGHTTP2_CANCEL);
        end({ code: GrpcStatus.INTERNAL, details: 'compressed message not supported' });
        return;
      }
      const message = pending.subarray(5, 5 + length);
      pending = pending.subarray(5 + length);
      try {
        onMessage(message);
      } catch (e) {
        stream.close(constants.NGHTTP2_CANCEL);
        end({ code: GrpcStatus.INTERNAL, details: `bad message: ${(e as Error).message}` });
      }
    }
  });
  let failure = '';
  stream.on('error', (e: Error) => (failure = e.message));
  stream.on('close', () =>
    end(
      status ?? {
        code: GrpcStatus.UNAVAILABLE,
        details: failure || `stream closed without status (RST_STREAM code ${stream.rstCode})`,
      },
    ),
  );
  return {
    fail(s) {
      if (!stream.closed) stream.close(constants.NGHTTP2_CANCEL);
      end(s);
    },
  };
}

/** A server stream: `data` per message, then `error` (unless OK) and `status`, as in grpc-js. */
export interface ServerStream<T> extends EventEmitter {
  on(event: 'data', listener: (message: T) => void): this;
  on(event: 'error', listener: (err: GrpcError) => void): this;
  on(event: 'status', listener: (status: CallStatus) => void): this;
  /** Ends the call locally (status CANCELLED). */
  cancel(): void;
}

class CallStream extends EventEmitter {
  cancel: () => void = () => undefined;
}

/** Options of {@link GrpcH2Channel}. */
export interface ChannelOptions {
  /** Ping the server this often while calls are open; a dead connection fails them (default 30 s). */
  keepaliveMs?: number;
  /** How long a ping may go unanswered (default 10 s). */
  keepaliveTimeoutMs?: number;
}

/** One HTTP/2 connection to a gRPC server, reopened on demand after it fails or closes. */
export class GrpcH2Channel {
  #session: ClientHttp2Session | undefined;
  #open = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /** `origin`: `http://host:port` (plaintext) or `https://host:port` (TLS). */
  constructor(
    private readonly origin: string,
    private readonly opts: ChannelOptions = {},
  ) {}

  #sessionNow(): ClientHttp2Session {
    const live = this.#session;
    if (live && !live.closed && !live.destroyed) return live;
    const s = connect(this.origin);
    // A connection error fails the open streams, which report it; nothing else to do here.
    s.on('error', () => undefined);
    const forget = () => {
      if (this.#session === s) this.#session = undefined;
    };
    s.on('close', forget);
    s.on('goaway', forget);
    this.#session = s;
    return s;
  }

  /** Pings while calls are open; an unanswered ping destroys the connection (calls fail over). */
  #keepalive(): void {
    if (this.#timer || this.#open === 0) return;
    const every = this.opts.keepaliveMs ?? 30_000;
    const timeout = this.opts.keepaliveTimeoutMs ?? 10_000;
    this.#timer = setInterval(() => {
      const s = this.#session;
      if (this.#open === 0) {
        clearInterval(this.#timer);
        this.#timer = undefined;
        return;
      }
      if (!s || s.destroyed) return;
      const dead = setTimeout(() => s.destroy(new Error('keepalive ping timed out')), timeout);
      dead.unref();
      const sent = s.ping((err) => {
        clearTimeout(dead);
        if (err && !s.destroyed) s.destroy(err);
      });
      if (!sent) clearTimeout(dead);
    }, every);
    this.#timer.unref();
  }

  /**
   * Starts a call of `path` (`/package.Service/Method`) with one request message; handlers as in
   * readResponse. Returns a function that cancels the call with `status`.
   */
  #call(
    path: string,
    request: Uint8Array,
    metadata: Record<string, string>,
    deadline: number | undefined,
    onMessage: (m: Uint8Array) => void,
    onEnd: (s: CallStatus) => void,
  ): (s: CallStatus) => void {
    const headers: Record<string, string> = {
      ...metadata,
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-accept-encoding': 'identity',
    };
    if (deadline !== undefined)
      headers['grpc-timeout'] = `${Math.max(1, Math.ceil(deadline - Date.now()))}m`;
    if (this.#closed) {
      queueMicrotask(() => onEnd({ code: GrpcStatus.CANCELLED, details: 'channel closed' }));
      return () => undefined;
    }
    let stream: ClientHttp2Stream;
    try {
      stream = this.#sessionNow().request(headers);
    } catch (e) {
      // The session was closing: the next call opens another.
      this.#session = undefined;
      const details = (e as Error).message;
      queueMicrotask(() => onEnd({ code: GrpcStatus.UNAVAILABLE, details }));
      return () => undefined;
    }
    this.#open++;
    this.#keepalive();
    let timer: NodeJS.Timeout | undefined;
    const call = readResponse(stream, onMessage, (s) => {
      this.#open--;
      if (timer) clearTimeout(timer);
      onEnd(s);
    });
    if (deadline !== undefined)
      timer = setTimeout(
        () => call.fail({ code: GrpcStatus.DEADLINE_EXCEEDED, details: 'Deadline exceeded' }),
        Math.max(0, deadline - Date.now()),
      );
    stream.end(frame(request));
    return (s) => call.fail(s);
  }

  /** A unary call: resolves with the one response message, rejects with a {@link GrpcError}. */
  unary(
    path: string,
    request: Uint8Array,
    metadata: Record<string, string>,
    timeoutMs: number,
  ): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      let response: Uint8Array | undefined;
      this.#call(
        path,
        request,
        metadata,
        Date.now() + timeoutMs,
        (m) => (response = m),
        (s) => {
          if (s.code !== GrpcStatus.OK) reject(new GrpcError(s));
          else if (response === undefined)
            reject(
              new GrpcError({ code: GrpcStatus.UNIMPLEMENTED, details: 'No message received' }),
            );
          else resolve(response);
        },
      );
    });
  }

  /** A server-streaming call; each message is decoded with `decode` before `data`. */
  serverStream<T>(
    path: string,
    request: Uint8Array,
    metadata: Record<string, string>,
    decode: (m: Uint8Array) => T,
  ): ServerStream<T> {
    const out = new CallStream();
    const cancel = this.#call(
      path,
      request,
      metadata,
      undefined,
      (m) => out.emit('data', decode(m)),
      (s) => {
        if (s.code !== GrpcStatus.OK) out.emit('error', new GrpcError(s));
        out.emit('status', s);
      },
    );
    out.cancel = () => cancel({ code: GrpcStatus.CANCELLED, details: 'Cancelled on client' });
    return out;
  }

  /** Closes the connection; open calls end with CANCELLED or UNAVAILABLE. */
  close(): void {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#session?.close();
    this.#session = undefined;
  }
}
