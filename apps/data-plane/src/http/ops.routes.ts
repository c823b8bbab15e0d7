/** Operations endpoints: liveness, readiness with per-environment detail, Prometheus metrics. */
import { syncStatus } from '../sync/sync-status.js';
import type { HttpDeps } from './http-deps.js';
import { sendJson, type RequestContext } from './http-kit.js';

/** `GET /health`: the process is up. */
export function healthRoute(_deps: HttpDeps, ctx: RequestContext): void {
  sendJson(ctx, 200, { status: 'SERVING' });
}

/**
 * Readiness detail of every environment. `status` is `ok`, `degraded` (still serving the last good
 * snapshot, but the source has failed for longer than the grace period or the branch head is a
 * bad commit) or `not-ready`.
 */
export function readiness(deps: HttpDeps, now = Date.now()) {
  const environments = deps.registry.keys().map((key) => {
    const s = deps.registry.state(key);
    const e = s?.lastError;
    return {
      key,
      ready: s?.snapshot !== undefined,
      status: s ? syncStatus(s, now) : 'not-ready',
      revision: s?.snapshot?.revision ?? null,
      lastSyncAt: s?.lastSyncAt !== undefined ? new Date(s.lastSyncAt).toISOString() : null,
      lastError: e
        ? {
            message: e.message,
            revision: e.revision ?? null,
            file: e.file ?? null,
            line: e.line ?? null,
            at: new Date(e.at).toISOString(),
          }
        : null,
    };
  });
  // Not ready while startup is still catching up (a woken instance must not serve old revisions).
  return { ready: deps.registry.ready() && (deps.started?.() ?? true), environments };
}

/**
 * `GET /ready`: 200 only when every environment has a snapshot (never empty answers). A degraded
 * environment still serves, so it stays 200 with `status: DEGRADED` for operators and alerts.
 */
export function readyRoute(deps: HttpDeps, ctx: RequestContext): void {
  const r = readiness(deps);
  const degraded = r.environments.some((e) => e.status === 'degraded');
  sendJson(ctx, r.ready ? 200 : 503, {
    status: r.ready ? (degraded ? 'DEGRADED' : 'SERVING') : 'NOT_SERVING',
    // True until startup finished (a woken instance catching up): the provisioner waits for false.
    starting: !(deps.started?.() ?? true),
    environments: r.environments,
  });
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
