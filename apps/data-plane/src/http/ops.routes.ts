/** Operations endpoints: liveness, readiness with per-environment detail, Prometheus metrics. */
import type { HttpDeps } from './http-deps.js';
import { sendJson, type RequestContext } from './http-kit.js';

/** `GET /health`: the process is up. */
export function healthRoute(_deps: HttpDeps, ctx: RequestContext): void {
  sendJson(ctx, 200, { status: 'SERVING' });
}

/** Readiness detail of every environment. */
export function readiness(deps: HttpDeps) {
  const environments = deps.registry.keys().map((key) => {
    const s = deps.registry.state(key);
    const e = s?.lastError;
    return {
      key,
      ready: s?.snapshot !== undefined,
      revision: s?.snapshot?.revision ?? null,
      lastSyncAt: s?.lastSyncAt !== undefined ? new Date(s.lastSyncAt).toISOString() : null,
      lastError: e ? { message: e.message, revision: e.revision ?? null, file: e.file ?? null, line: e.line ?? null, at: new Date(e.at).toISOString() } : null,
    };
  });
  return { ready: deps.registry.ready(), environments };
}

/** `GET /ready`: 200 only when every environment has a snapshot (never empty answers). */
export function readyRoute(deps: HttpDeps, ctx: RequestContext): void {
  const r = readiness(deps);
  sendJson(ctx, r.ready ? 200 : 503, { status: r.ready ? 'SERVING' : 'NOT_SERVING', environments: r.environments });
}

/** `GET /metrics`: Prometheus text format. */
export async function metricsRoute(deps: HttpDeps, ctx: RequestContext): Promise<void> {
  for (const key of deps.registry.keys()) {
    const rev = deps.registry.snapshot(key)?.revision;
    if (rev) deps.metrics.revision(key, rev);
  }
  const text = await deps.metrics.registry.metrics();
  ctx.res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
  ctx.res.end(text);
}
