/**
 * gRPC through environment URLs: HTTP/2 streams are forwarded to the organisation's instance's
 * gRPC server, routed like HTTP/1.1 requests (host `{env}.{org}.<EVAL_DOMAIN>` as `:authority`, or
 * the `/e/{org}/{env}` path prefix for clients that can send one) and pinned to the environment
 * with `x-switchyard-edge-environment`. Streams are relayed frame by frame (headers, messages,
 * trailers), so unary and streaming calls both work; one HTTP/2 session per instance carries them
 * all. The edge's own answers are gRPC statuses in a trailers-only response.
 */
import {
  connect,
  constants,
  createServer,
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type Http2Server,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import type { Logger } from 'pino';
import { resolveTarget } from './edge-router.js';
import type { Route__Output as Route } from '@switchyard/contracts';
import { WakeError, type RouteTable } from './route-table.js';
import type { EdgeTarget } from './edge-router.js';

/** gRPC status codes the edge answers with. */
const GRPC = { NOT_FOUND: 5, UNIMPLEMENTED: 12, UNAVAILABLE: 14 } as const;

/** Answers a held stream whose organisation did not wake. */
function answerWakeFailure(stream: ServerHttp2Stream, e: unknown): void {
  if (e instanceof WakeError && e.notFound) return answer(stream, GRPC.NOT_FOUND, e.message);
  answer(
    stream,
    GRPC.UNAVAILABLE,
    e instanceof WakeError ? e.message : 'environment waking up; retry in a moment',
  );
}

/** Request headers never forwarded: connection-specific ones and what only the edge may set. */
const DROP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
  'http2-settings',
  'x-switchyard-edge-environment',
  'x-switchyard-edge-prefix',
]);

function answer(stream: ServerHttp2Stream, code: number, message: string): void {
  if (stream.headersSent || stream.destroyed) return void stream.close(constants.NGHTTP2_CANCEL);
  stream.respond(
    {
      ':status': 200,
      'content-type': 'application/grpc',
      'grpc-status': String(code),
      'grpc-message': encodeURIComponent(message),
    },
    { endStream: true },
  );
}

function responseHeaders(h: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h))
    if (k === ':status' || (!k.startsWith(':') && !DROP.has(k))) out[k] = v;
  return out;
}

/** The HTTP/2 side of the edge. `close()` ends the upstream sessions. */
export function createGrpcForwarder(
  routes: RouteTable,
  options: { evalDomain: string | undefined },
  logger: Logger,
): { server: Http2Server; close(): void } {
  const sessions = new Map<string, ClientHttp2Session>();
  const session = (upstream: string): ClientHttp2Session => {
    const open = sessions.get(upstream);
    if (open && !open.closed && !open.destroyed) return open;
    const s = connect(`http://${upstream}`);
    s.on('error', (e) => logger.warn({ err: e, upstream }, 'gRPC upstream session failed'));
    s.on('close', () => {
      if (sessions.get(upstream) === s) sessions.delete(upstream);
    });
    sessions.set(upstream, s);
    return s;
  };

  const server = createServer();
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined); // a client reset; the upstream side is closed below
    const authority = headers[':authority'] ?? headers.host;
    const target = resolveTarget(authority, headers[':path'] ?? '/', options.evalDomain);
    const route = target ? routes.routeFor(target.org, target.env) : undefined;
    if (!target || !route) return answer(stream, GRPC.NOT_FOUND, 'no such environment');
    if (!String(headers['content-type'] ?? '').startsWith('application/grpc'))
      return answer(
        stream,
        GRPC.UNIMPLEMENTED,
        'HTTP/2 at environment URLs serves gRPC only; use HTTP/1.1 for REST',
      );
    if (!(route instanceof Promise)) return forward(route, target, stream, headers, authority);
    // A sleeping organisation: the stream (its messages unread) waits until the instance is awake.
    route.then(
      (r) => {
        if (!stream.destroyed) forward(r, target, stream, headers, authority);
      },
      (e: unknown) => answerWakeFailure(stream, e),
    );
  });
  const forward = (
    route: Route,
    target: EdgeTarget,
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    authority: string | undefined,
  ): void => {
    if (!route.grpcUpstream)
      return answer(stream, GRPC.UNAVAILABLE, 'environment starting; retry in a moment');
    const out: OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(headers))
      if (!k.startsWith(':') && !DROP.has(k)) out[k] = v;
    Object.assign(out, {
      ':method': headers[':method'],
      ':path': target.path,
      ':authority': authority,
      'x-switchyard-edge-environment': target.env,
    });
    let up: ClientHttp2Stream;
    try {
      up = session(route.grpcUpstream).request(out);
    } catch (e) {
      logger.warn({ err: e, org: target.org }, 'gRPC upstream request failed');
      return answer(stream, GRPC.UNAVAILABLE, 'environment temporarily unavailable');
    }
    let trailers: OutgoingHttpHeaders = {};
    up.on('response', (h, flags) => {
      if (stream.destroyed) return;
      // A trailers-only answer (an error status) stays one: headers with END_STREAM.
      const endStream = (flags & constants.NGHTTP2_FLAG_END_STREAM) !== 0;
      stream.respond(responseHeaders(h), endStream ? { endStream } : { waitForTrailers: true });
      if (!endStream) up.pipe(stream);
    });
    up.on('trailers', (t: IncomingHttpHeaders) => (trailers = responseHeaders(t)));
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    up.on('error', (e) => {
      logger.warn({ err: e, org: target.org, env: target.env }, 'gRPC upstream stream failed');
      answer(stream, GRPC.UNAVAILABLE, 'environment temporarily unavailable');
    });
    // A client that cancels (or goes away) cancels the upstream call.
    stream.on('close', () => {
      if (!up.closed) up.close(constants.NGHTTP2_CANCEL);
    });
    stream.pipe(up);
  };
  return {
    server,
    close() {
      for (const s of sessions.values()) s.close();
      sessions.clear();
    },
  };
}
