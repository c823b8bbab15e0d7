/**
 * The REST server: plain node:http (no framework on the hot path). One dispatch function maps
 * method + path to a route; every error goes through the one Flipt-shaped mapping in http-kit.
 * Tracks in-flight requests so shutdown can drain them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { GRPC_STATUS, errors } from '@switchyard/flags/runtime';
import { EDGE_ENV_HEADER, type HttpDeps } from './http-deps.js';
import { header, sendError, toSwitchyardError, type RequestContext } from './http-kit.js';
import { newRequestId } from './request-id.js';
import { compileRoutes } from './routes.js';

const route = compileRoutes();
const REQUEST_ID = /^[\x21-\x7e]+$/;

function context(
  req: IncomingMessage,
  res: ServerResponse,
  maxBodyBytes: number,
  fail: RequestContext['fail'],
): RequestContext {
  const start = performance.now();
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  const search = q < 0 ? '' : url.slice(q + 1);
  const raw = header(req, 'x-request-id');
  // Echoed in a header and in logs: accept only short printable ids, otherwise make our own.
  const sent = raw && raw.length <= 128 && REQUEST_ID.test(raw) ? raw : undefined;
  const requestId = sent || newRequestId();
  res.setHeader('x-request-id', requestId);
  const pretty = search !== '' && new URLSearchParams(search).has('pretty');
  return {
    req,
    res,
    path,
    search,
    requestId,
    generatedId: !sent,
    pretty,
    route: 'unknown',
    maxBodyBytes,
    start,
    fail,
  };
}

/**
 * True when the request came through an environment URL: the edge and the Ingress always set the
 * edge environment header (possibly empty), direct callers of the instance port (the provisioner,
 * Prometheus, the operator) do not.
 */
function viaEnvironmentUrl(req: IncomingMessage): boolean {
  return req.headers[EDGE_ENV_HEADER] !== undefined;
}

/**
 * Answers requests node:http cannot parse (malformed, header section too large, URL too long) in
 * the closed error shape instead of node's bare status line, then closes the connection.
 */
export function clientErrorResponse(err: Error & { code?: string }): string {
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const message = tooLarge ? 'request header section (or URL) too large' : 'malformed HTTP request';
  const body = JSON.stringify({ code: GRPC_STATUS.InvalidArgument, message, details: [] });
  const reason = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

/** The REST server and its in-flight request count. */
export interface RestServer {
  server: Server;
  inFlight(): number;
}

/** Creates (does not start) the REST server. */
export function createRestServer(deps: HttpDeps, maxBodyBytes: number): RestServer {
  let inFlight = 0;
  // Successful requests are logged at debug only; the level is fixed at boot, so check it once.
  const debug = deps.logger.isLevelEnabled('debug');
  const fail = (ctx: RequestContext, e: unknown): void => {
    const err = toSwitchyardError(e);
    if (err.code === 'Internal')
      deps.logger.error({ err: e, reqId: ctx.requestId, route: ctx.route }, 'request failed');
    else
      deps.logger.debug(
        { reqId: ctx.requestId, route: ctx.route, code: err.code, msg: err.message },
        'request rejected',
      );
    sendError(ctx, err);
  };
  // Not async: a handler that finishes synchronously costs no extra promise; errors, thrown or
  // rejected, all end in `fail`.
  const handle = (ctx: RequestContext): void => {
    try {
      const m = route(ctx.req.method ?? 'GET', ctx.path);
      if (!m || (m.route.guard === 'ops' && viaEnvironmentUrl(ctx.req)))
        throw errors.notFound(`no route for ${ctx.req.method} ${ctx.path}`);
      ctx.route = m.route.name;
      // SDK routes only: /health (public) is what the provisioner and load balancers poll.
      if (m.route.guard === 'client-token') deps.activity?.mark();
      const done = m.route.handler(deps, ctx, ...m.params);
      if (done) done.catch((e: unknown) => fail(ctx, e));
    } catch (e) {
      fail(ctx, e);
    }
  };
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const ctx = context(req, res, maxBodyBytes, fail);
    inFlight++;
    res.on('close', () => {
      inFlight--;
      const seconds = (performance.now() - ctx.start) / 1000;
      deps.metrics.request('http', ctx.route, res.statusCode, seconds);
      if (debug)
        deps.logger.debug(
          {
            reqId: ctx.requestId,
            method: req.method,
            path: ctx.path,
            status: res.statusCode,
            ms: seconds * 1000,
          },
          'request',
        );
    });
    handle(ctx);
  });
  server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    // A reset or timed-out socket has nobody to answer; anything else gets the closed shape.
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    socket.end(clientErrorResponse(err));
  });
  return { server, inFlight: () => inFlight };
}
