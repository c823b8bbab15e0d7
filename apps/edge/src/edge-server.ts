/**
 * The edge's HTTP/1.1 reverse proxy (gRPC over HTTP/2 is edge-grpc.ts; both find routes through
 * RouteTable.routeFor). It resolves the organisation and environment, forwards to the
 * organisation's instance over keep-alive HTTP/1.1 connections, and sets
 * `X-Switchyard-Edge-Environment` (instances trust it only because they sit behind the edge).
 * Responses stream through unbuffered (snapshot streams, long polls); a client that goes away
 * cancels the upstream request. Headers cross as forward-headers.ts decides; every answer of the
 * edge itself is in the closed error shape (edge-errors.ts).
 */
import {
  Agent,
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { randomUUID } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { answerClientError, sendEdgeError } from './edge-errors.js';
import { isOperationsPath, resolveTarget, type EdgeTarget } from './edge-router.js';
import {
  endToEndHeaders,
  normaliseAddress,
  upstreamRequestHeaders,
  type Hop,
} from './forward-headers.js';
import type { Route__Output as Route } from '@switchyard/contracts';
import { WakeError, type RouteTable } from './route-table.js';

/** Header the instance reads to pick the environment. */
export const EDGE_ENV_HEADER = 'x-switchyard-edge-environment';
/**
 * Header carrying the path prefix the edge stripped (`/e/{org}/{env}`, absent in host form), so
 * URLs an instance hands back (OFREP `eventStreams`) work through the environment URL.
 */
export const EDGE_PREFIX_HEADER = 'x-switchyard-edge-prefix';
/** Longest request target accepted (path and query); longer is 414. */
export const DEFAULT_MAX_URL_BYTES = 8 * 1024;

/** Options of {@link createEdgeServer}. */
export interface EdgeServerOptions {
  evalDomain: string | undefined;
  /** Peer addresses whose X-Forwarded-* / Forwarded headers are believed (exact match). */
  trustedProxies?: readonly string[];
  maxUrlBytes?: number;
}

function requestIdOf(req: IncomingMessage): string {
  const sent = req.headers['x-request-id'];
  return typeof sent === 'string' && /^[\w.:-]{1,128}$/.test(sent) ? sent : randomUUID();
}

function hopOf(req: IncomingMessage, trusted: ReadonlySet<string>): Hop {
  const peer = normaliseAddress(req.socket.remoteAddress);
  return {
    peer,
    trusted: trusted.has(peer),
    proto: (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http',
  };
}

/** A held request whose organisation did not wake: 503 with Retry-After (404 if it is gone). */
function answerWakeFailure(res: ServerResponse, e: unknown): void {
  if (res.destroyed) return;
  if (e instanceof WakeError && e.notFound)
    return sendEdgeError(res, { status: 404, code: 'NotFound', message: e.message });
  res.setHeader('retry-after', '2');
  sendEdgeError(res, {
    status: 503,
    code: 'Unavailable',
    message: e instanceof WakeError ? e.message : 'environment waking up; retry in a moment',
  });
}

/** At most one log line per key per interval. */
function logThrottle(intervalMs: number): { shouldLog(key: string): boolean } {
  const last = new Map<string, number>();
  return {
    shouldLog(key) {
      const now = Date.now();
      if (now - (last.get(key) ?? -Infinity) < intervalMs) return false;
      last.set(key, now);
      if (last.size > 10_000) last.clear();
      return true;
    },
  };
}

/** Creates the edge server (not listening). */
export function createEdgeServer(
  routes: RouteTable,
  options: EdgeServerOptions,
  logger: Logger,
): { server: Server; agent: Agent } {
  const startingLog = logThrottle(60_000);
  const agent = new Agent({
    keepAlive: true,
    keepAliveMsecs: 10_000,
    maxSockets: 512,
    maxFreeSockets: 64,
  });
  const trusted = new Set((options.trustedProxies ?? []).map(normaliseAddress));
  const maxUrl = options.maxUrlBytes ?? DEFAULT_MAX_URL_BYTES;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    const url = req.url ?? '/';
    if (Buffer.byteLength(url) > maxUrl)
      return sendEdgeError(res, {
        status: 414,
        code: 'InvalidArgument',
        message: `request URL longer than ${maxUrl} bytes`,
      });
    const target = resolveTarget(req.headers.host, url, options.evalDomain);
    // The edge's own liveness; an environment URL's /health is the instance's (bare) answer.
    if (!target && url === '/health')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'SERVING' }));
    const route = target ? routes.routeFor(target.org, target.env) : undefined;
    if (!target || !route)
      return sendEdgeError(res, { status: 404, code: 'NotFound', message: 'no such environment' });
    if (isOperationsPath(target.path))
      return sendEdgeError(res, {
        status: 404,
        code: 'NotFound',
        message: 'operations endpoints are not served through environment URLs',
      });
    if (!(route instanceof Promise)) return forwardTo(route, target, req, res, requestId);
    // A sleeping organisation: the request (its body unread, so it waits in the socket) is held
    // until the instance is awake, then forwarded as if it had been awake all along.
    route.then(
      (r) => {
        if (!res.destroyed) forwardTo(r, target, req, res, requestId);
      },
      (e: unknown) => answerWakeFailure(res, e),
    );
  });
  const forwardTo = (
    route: Route,
    target: EdgeTarget,
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
  ): void => {
    const upstream = new URL(route.upstream);
    const headers = {
      ...upstreamRequestHeaders(req.headers, hopOf(req, trusted), [
        EDGE_ENV_HEADER,
        EDGE_PREFIX_HEADER,
        'x-request-id',
      ]),
      [EDGE_ENV_HEADER]: target.env,
      ...(target.prefix ? { [EDGE_PREFIX_HEADER]: target.prefix } : {}),
      'x-request-id': requestId,
    };
    const up = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: target.path,
        headers,
        agent,
      },
      (ures) => {
        res.writeHead(ures.statusCode ?? 502, endToEndHeaders(ures.headers));
        ures.pipe(res);
      },
    );
    up.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ECONNREFUSED') {
        // Nothing listens yet: the instance is starting or restarting. That is expected for a
        // moment after provisioning or a crash, so it is a 503 with Retry-After, and logged once a
        // minute per instance rather than as an upstream failure on every request.
        if (startingLog.shouldLog(route.upstream))
          logger.info(
            { org: target.org, upstream: route.upstream },
            'instance not accepting connections yet (starting)',
          );
        res.setHeader('retry-after', '1');
        sendEdgeError(res, {
          status: 503,
          code: 'Unavailable',
          message: 'environment starting; retry in a moment',
        });
        return;
      }
      logger.warn(
        { err: e, org: target.org, env: target.env, requestId },
        'upstream request failed',
      );
      sendEdgeError(res, {
        status: 502,
        code: 'Unavailable',
        message: 'environment temporarily unavailable',
      });
    });
    // A client that disconnects (e.g. leaves a stream) must not keep the upstream request open.
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  };
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 65_000;
  return { server, agent };
}
