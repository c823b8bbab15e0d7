/**
 * The REST server: plain node:http (no framework on the hot path). One dispatch function maps
 * method + path to a route; every error goes through the one Flipt-shaped mapping in http-kit.
 * Tracks in-flight requests so shutdown can drain them.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { errors } from '@switchyard/flags';
import { evaluateBatchRoute, evaluateBooleanRoute, evaluateVariantRoute } from './evaluate.routes.js';
import type { HttpDeps } from './http-deps.js';
import { header, sendError, toSwitchyardError, type RequestContext } from './http-kit.js';
import { refreshRoute, sourceRoute, watchRoute } from './mirror.routes.js';
import { ofrepBulkRoute, ofrepConfigurationRoute, ofrepFlagRoute, ofrepStreamRoute } from './ofrep.routes.js';
import { healthRoute, metricsRoute, readyRoute } from './ops.routes.js';
import { getFlagRoute, listFlagsRoute } from './read-api.routes.js';
import { environmentSnapshotRoute, namespaceSnapshotRoute, snapshotStreamRoute } from './snapshot.routes.js';

type Handler = (deps: HttpDeps, ctx: RequestContext, ...params: string[]) => void | Promise<void>;

const EXACT: Record<string, [string, Handler]> = {
  'POST /evaluate/v1/boolean': ['evaluate_boolean', evaluateBooleanRoute],
  'POST /evaluate/v1/variant': ['evaluate_variant', evaluateVariantRoute],
  'POST /evaluate/v1/batch': ['evaluate_batch', evaluateBatchRoute],
  'POST /ofrep/v1/evaluate/flags': ['ofrep_bulk', ofrepBulkRoute],
  'GET /ofrep/v1/configuration': ['ofrep_configuration', ofrepConfigurationRoute],
  'GET /health': ['health', healthRoute],
  'GET /ready': ['ready', readyRoute],
  'GET /metrics': ['metrics', metricsRoute],
  'POST /api/switchyard/v1/refresh': ['refresh', refreshRoute],
};

const SEG = '([^/]+)';
const PATTERNS: Array<[string, RegExp, string, Handler]> = [
  ['GET', new RegExp(`^/internal/v1/evaluation/snapshot/namespace/${SEG}$`), 'snapshot_v1', namespaceSnapshotRoute],
  ['GET', new RegExp(`^/client/v2/environments/${SEG}/namespaces/${SEG}/snapshot$`), 'snapshot_v2', environmentSnapshotRoute],
  ['GET', new RegExp(`^/client/v2/environments/${SEG}/namespaces/${SEG}/stream$`), 'stream_v2', snapshotStreamRoute],
  ['POST', new RegExp(`^/ofrep/v1/evaluate/flags/${SEG}$`), 'ofrep_flag', ofrepFlagRoute],
  ['GET', new RegExp(`^/ofrep/v1/_stream/${SEG}/${SEG}/events$`), 'ofrep_stream', ofrepStreamRoute],
  ['GET', new RegExp(`^/api/v1/namespaces/${SEG}/flags$`), 'list_flags', listFlagsRoute],
  ['GET', new RegExp(`^/api/v1/namespaces/${SEG}/flags/${SEG}$`), 'get_flag', getFlagRoute],
  ['GET', new RegExp(`^/api/switchyard/v1/environments/${SEG}/source$`), 'mirror_source', sourceRoute],
  ['GET', new RegExp(`^/api/switchyard/v1/environments/${SEG}/watch$`), 'mirror_watch', watchRoute],
];

function decodeSegment(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    throw errors.invalidArgument('invalid percent-encoding in path');
  }
}

function route(method: string, path: string): { name: string; handler: Handler; params: string[] } | undefined {
  const exact = EXACT[`${method} ${path}`];
  if (exact) return { name: exact[0], handler: exact[1], params: [] };
  for (const [m, re, name, handler] of PATTERNS) {
    if (m !== method) continue;
    const match = re.exec(path);
    if (match) return { name, handler, params: match.slice(1).map(decodeSegment) };
  }
  return undefined;
}

function context(req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): RequestContext {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  const search = q < 0 ? '' : url.slice(q + 1);
  const sent = header(req, 'x-request-id');
  const requestId = sent || randomUUID();
  res.setHeader('x-request-id', requestId);
  const pretty = search !== '' && new URLSearchParams(search).has('pretty');
  return { req, res, path, search, requestId, generatedId: !sent, pretty, route: 'unknown', maxBodyBytes };
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
  const handle = async (ctx: RequestContext): Promise<void> => {
    const r = route(ctx.req.method ?? 'GET', ctx.path);
    if (!r) throw errors.notFound(`no route for ${ctx.req.method} ${ctx.path}`);
    ctx.route = r.name;
    await r.handler(deps, ctx, ...r.params);
  };
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const start = performance.now();
    const ctx = context(req, res, maxBodyBytes);
    inFlight++;
    res.on('close', () => {
      inFlight--;
      const seconds = (performance.now() - start) / 1000;
      deps.metrics.request('http', ctx.route, res.statusCode, seconds);
      if (debug) deps.logger.debug({ reqId: ctx.requestId, method: req.method, path: ctx.path, status: res.statusCode, ms: seconds * 1000 }, 'request');
    });
    handle(ctx).catch((e: unknown) => {
      const err = toSwitchyardError(e);
      if (err.code === 'Internal') deps.logger.error({ err: e, reqId: ctx.requestId, route: ctx.route }, 'request failed');
      else deps.logger.debug({ reqId: ctx.requestId, route: ctx.route, code: err.code, msg: err.message }, 'request rejected');
      sendError(ctx, err);
    });
  });
  return { server, inFlight: () => inFlight };
}
