/**
 * The edge's HTTP reverse proxy. It resolves the organisation and environment, forwards to the
 * organisation's instance over keep-alive HTTP/1.1 connections, and sets
 * `X-Switchyard-Edge-Environment` (instances trust it only because they sit behind the edge).
 * Responses stream through unbuffered (snapshot streams, long polls); a client that goes away
 * cancels the upstream request.
 */
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { resolveTarget } from './edge-router.js';
import type { RouteTable } from './route-table.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);
/** Header the instance reads to pick the environment. */
export const EDGE_ENV_HEADER = 'x-switchyard-edge-environment';

function forwardHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k) && k !== EDGE_ENV_HEADER) out[k] = v;
  return out;
}

function fail(res: ServerResponse, status: number, code: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ code, message }));
}

/** Creates the edge server (not listening). */
export function createEdgeServer(routes: RouteTable, options: { evalDomain: string | undefined }, logger: Logger): { server: Server; agent: Agent } {
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 512, maxFreeSockets: 64 });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const requestId = typeof req.headers['x-request-id'] === 'string' && /^[\w.:-]{1,128}$/.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID();
    res.setHeader('x-request-id', requestId);
    const url = req.url ?? '/';
    if (url === '/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', routes: routes.version }));
    const target = resolveTarget(req.headers.host, url, options.evalDomain);
    const route = target ? routes.get(target.org) : undefined;
    if (!target || !route || !route.environments.includes(target.env)) return fail(res, 404, 5, 'no such environment');
    const upstream = new URL(route.upstream);
    const headers = { ...forwardHeaders(req.headers), [EDGE_ENV_HEADER]: target.env, 'x-request-id': requestId, 'x-forwarded-host': req.headers.host ?? '', 'x-forwarded-for': req.socket.remoteAddress ?? '' };
    const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: target.path, headers, agent }, (ures) => {
      res.writeHead(ures.statusCode ?? 502, forwardHeaders(ures.headers));
      ures.pipe(res);
    });
    up.on('error', (e) => {
      logger.warn({ err: e, org: target.org, env: target.env, requestId }, 'upstream request failed');
      fail(res, 502, 14, 'environment temporarily unavailable');
    });
    // A client that disconnects (e.g. leaves a stream) must not keep the upstream request open.
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  });
  server.keepAliveTimeout = 65_000;
  return { server, agent };
}
