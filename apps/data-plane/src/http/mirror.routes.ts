/**
 * Endpoints for mirrors (another instance's `upstream` source) and push notifications:
 * the source files of an environment, a revision watch stream, and an on-demand refresh.
 */
import { errors } from '@switchyard/flags/runtime';
import { authorize } from '../auth/token-table.js';
import type { HttpDeps } from './http-deps.js';
import { header, query, sendJson, type RequestContext } from './http-kit.js';

function authorizedEnvironment(deps: HttpDeps, ctx: RequestContext, env: string): string {
  const scope = deps.tokens.authenticate(header(ctx.req, 'authorization'));
  if (!deps.registry.has(env)) throw errors.notFound(`environment "${env}" not found`);
  authorize(scope, env);
  return env;
}

/** `GET /api/switchyard/v1/environments/{env}/source` → `{revision, files: {path: base64}}`. */
export function sourceRoute(deps: HttpDeps, ctx: RequestContext, env: string): void {
  authorizedEnvironment(deps, ctx, env);
  const state = deps.registry.state(env);
  if (!state?.snapshot || !state.files)
    throw errors.unavailable(`environment "${env}" is not ready`);
  const files: Record<string, string> = {};
  for (const [path, bytes] of state.files) files[path] = Buffer.from(bytes).toString('base64');
  sendJson(ctx, 200, { revision: state.snapshot.revision, files });
}

/** `GET /api/switchyard/v1/environments/{env}/watch`: NDJSON `{"revision"}` now and on every change. */
export function watchRoute(deps: HttpDeps, ctx: RequestContext, env: string): void {
  authorizedEnvironment(deps, ctx, env);
  const { res } = ctx;
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache' });
  const current = deps.registry.snapshot(env)?.revision;
  if (current) res.write(`${JSON.stringify({ revision: current })}\n`);
  const off = deps.registry.onChange((key, snapshot) => {
    if (key === env) res.write(`${JSON.stringify({ revision: snapshot.revision })}\n`);
  });
  // Blank keep-alive lines stop proxies from closing an idle stream; readers skip empty lines.
  const ping = setInterval(() => res.write('\n'), 15_000);
  const stop = deps.streams.hold(() => res.end());
  res.on('close', () => {
    off();
    stop();
    clearInterval(ping);
  });
}

/** `POST /api/switchyard/v1/refresh[?environment=E]`: asks sync to check its sources now. */
export async function refreshRoute(deps: HttpDeps, ctx: RequestContext): Promise<void> {
  const env = query(ctx).get('environment') ?? undefined;
  const scope = deps.tokens.authenticate(header(ctx.req, 'authorization'));
  if (env !== undefined) {
    if (!deps.registry.has(env)) throw errors.notFound(`environment "${env}" not found`);
    authorize(scope, env);
  } else if (scope.environments)
    throw errors.permissionDenied('refreshing every environment needs an unscoped token');
  if (!deps.refresh) throw errors.failedPrecondition('no sync is running');
  await deps.refresh(env);
  sendJson(ctx, 200, { refreshed: env ?? deps.registry.keys() });
}
