/**
 * Client-side snapshot endpoints used by the flipt-client SDKs: one-shot snapshots with ETag/304
 * (ETag = namespace digest, unquoted, on 200 and 304) and the v2 stream (NDJSON `{"result":…}`
 * lines, or SSE refetch events when the client accepts text/event-stream).
 */
import { errors, GRPC_STATUS } from '@switchyard/flags/runtime';
import type { NamespaceSnapshot } from '@switchyard/flags';
import type { EnvironmentHints } from '../evaluation/evaluation.service.js';
import { headerHints, type HttpDeps } from './http-deps.js';
import {
  acceptsGzip,
  errorBody,
  header,
  httpStatusOf,
  query,
  sendJson,
  toSwitchyardError,
  type RequestContext,
} from './http-kit.js';
import {
  clientSnapshotGzip,
  clientSnapshotJson,
  clientSnapshotStreamLine,
  refetchEvent,
} from './stream-hub.js';

function pickNamespace(
  deps: HttpDeps,
  ctx: RequestContext,
  hints: EnvironmentHints,
  key: string,
): NamespaceSnapshot {
  const scope = deps.tokens.authenticate(header(ctx.req, 'authorization'));
  const picked = deps.service.pick(hints, scope, key);
  const ns = picked.snapshot.namespaces.get(key);
  if (!ns) throw errors.notFound(`evaluation snapshot for namespace "${key}" not found`);
  return ns;
}

function sendSnapshot(ctx: RequestContext, ns: NamespaceSnapshot): void {
  if (header(ctx.req, 'if-none-match') === ns.digest) {
    ctx.res.writeHead(304, { etag: ns.digest });
    ctx.res.end();
    return;
  }
  if (!ctx.pretty && acceptsGzip(ctx)) {
    ctx.res.writeHead(200, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      vary: 'accept-encoding',
      etag: ns.digest,
    });
    ctx.res.end(clientSnapshotGzip(ns));
    return;
  }
  sendJson(ctx, 200, clientSnapshotJson(ns), { etag: ns.digest });
}

/** `GET /internal/v1/evaluation/snapshot/namespace/{ns}` (environment from headers). */
export function namespaceSnapshotRoute(deps: HttpDeps, ctx: RequestContext, ns: string): void {
  sendSnapshot(ctx, pickNamespace(deps, ctx, headerHints(deps, ctx), ns));
}

/** `GET /client/v2/environments/{env}/namespaces/{ns}/snapshot`. */
export function environmentSnapshotRoute(
  deps: HttpDeps,
  ctx: RequestContext,
  env: string,
  ns: string,
): void {
  sendSnapshot(ctx, pickNamespace(deps, ctx, { ...headerHints(deps, ctx), body: env }, ns));
}

/** Whether the client asked for server-sent events. */
export function wantsEventStream(ctx: RequestContext): boolean {
  return (header(ctx.req, 'accept') ?? '').includes('text/event-stream');
}

/** `GET /client/v2/environments/{env}/namespaces/{ns}/stream` (and the OFREP SSE alias). */
export function snapshotStreamRoute(
  deps: HttpDeps,
  ctx: RequestContext,
  env: string,
  nsKey: string,
): void {
  const sse = wantsEventStream(ctx);
  const digest = query(ctx).get('digest') ?? '';
  let environment: string;
  try {
    if (digest !== '' && digest.length !== 40)
      throw errors.invalidArgument('digest must be 40 characters');
    const scope = deps.tokens.authenticate(header(ctx.req, 'authorization'));
    environment = deps.service.resolveEnvironment({ ...headerHints(deps, ctx), body: env });
    deps.service.pick({ body: environment }, scope, nsKey);
  } catch (e) {
    const err = toSwitchyardError(e);
    ctx.res.writeHead(httpStatusOf(err), {
      'content-type': sse ? 'text/event-stream' : 'application/json',
    });
    const line = sse
      ? `data: ${JSON.stringify({ code: GRPC_STATUS[err.code], message: err.message, type: 'error' })}\n\n`
      : `${JSON.stringify({ error: errorBody(err) })}\n`;
    ctx.res.end(line);
    return;
  }
  openStream(deps, ctx, environment, nsKey, digest, sse);
}

function openStream(
  deps: HttpDeps,
  ctx: RequestContext,
  environment: string,
  namespace: string,
  digest: string,
  sse: boolean,
): void {
  const { res } = ctx;
  const headers = {
    'content-type': sse ? 'text/event-stream' : 'application/json',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  };
  if (sse) res.writeHead(200, headers); // SSE clients expect headers at once; NDJSON headers go with the first line, as Flipt does.
  const ping = sse ? setInterval(() => res.write(': ping\n\n'), 15_000) : undefined;
  const remove = deps.streams.add({
    environment,
    namespace,
    digest,
    send(ns) {
      if (!res.headersSent) res.writeHead(200, headers);
      res.write(sse ? refetchEvent(ns) : clientSnapshotStreamLine(ns));
    },
    end() {
      clearInterval(ping);
      if (!res.headersSent) res.writeHead(200, headers);
      res.end();
    },
  });
  res.on('close', () => {
    clearInterval(ping);
    remove();
  });
}
