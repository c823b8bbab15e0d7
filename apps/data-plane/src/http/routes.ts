/**
 * The REST route table: method, path template, metrics name, guard, handler. The guard column is
 * what each handler enforces (handlers authenticate before touching data); `routes.test.ts`
 * keeps a committed snapshot of route → guard and checks every guarded route answers 401
 * without a token.
 */
import { errors } from '@switchyard/flags/runtime';
import {
  evaluateBatchRoute,
  evaluateBooleanRoute,
  evaluateVariantRoute,
} from './evaluate.routes.js';
import type { HttpDeps } from './http-deps.js';
import type { RequestContext } from './http-kit.js';
import { refreshRoute, sourceRoute, watchRoute } from './mirror.routes.js';
import {
  ofrepBulkRoute,
  ofrepConfigurationRoute,
  ofrepFlagRoute,
  ofrepStreamRoute,
} from './ofrep.routes.js';
import { healthRoute, metricsRoute, readyRoute } from './ops.routes.js';
import {
  getNamespaceRoute,
  getRolloutRoute,
  getRuleRoute,
  getSegmentRoute,
  listNamespacesRoute,
  listRolloutsRoute,
  listRulesRoute,
  listSegmentsRoute,
} from './read-api-v1.routes.js';
import { getFlagRoute, listFlagsRoute } from './read-api.routes.js';
import {
  environmentSnapshotRoute,
  namespaceSnapshotRoute,
  snapshotStreamRoute,
} from './snapshot.routes.js';

/** A route handler; path parameters follow the context in template order. */
export type Handler = (
  deps: HttpDeps,
  ctx: RequestContext,
  ...params: string[]
) => void | Promise<void>;

/**
 * `client-token`: a valid token whose scope covers the environment (and namespace); `public`:
 * none (a bare liveness answer only); `ops`: operator endpoints with per-environment detail, served
 * on the instance's own port only, never to a request that came through an environment URL
 * (the edge or the Ingress sets the edge environment header): those answer 404.
 */
export type Guard = 'client-token' | 'public' | 'ops';

/** One REST route. */
export interface Route {
  method: 'GET' | 'POST';
  /** Path template; `{name}` is one path segment. */
  path: string;
  name: string;
  guard: Guard;
  handler: Handler;
}

/** A read-only v1 API route (token-guarded GET). */
function readRoute(path: string, name: string, handler: Handler): Route[] {
  return [{ method: 'GET', path, name, guard: 'client-token', handler }];
}

/** Every REST route of the data plane. */
export const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/evaluate/v1/boolean',
    name: 'evaluate_boolean',
    guard: 'client-token',
    handler: evaluateBooleanRoute,
  },
  {
    method: 'POST',
    path: '/evaluate/v1/variant',
    name: 'evaluate_variant',
    guard: 'client-token',
    handler: evaluateVariantRoute,
  },
  {
    method: 'POST',
    path: '/evaluate/v1/batch',
    name: 'evaluate_batch',
    guard: 'client-token',
    handler: evaluateBatchRoute,
  },
  {
    method: 'GET',
    path: '/internal/v1/evaluation/snapshot/namespace/{ns}',
    name: 'snapshot_v1',
    guard: 'client-token',
    handler: namespaceSnapshotRoute,
  },
  {
    method: 'GET',
    path: '/client/v2/environments/{env}/namespaces/{ns}/snapshot',
    name: 'snapshot_v2',
    guard: 'client-token',
    handler: environmentSnapshotRoute,
  },
  {
    method: 'GET',
    path: '/client/v2/environments/{env}/namespaces/{ns}/stream',
    name: 'stream_v2',
    guard: 'client-token',
    handler: snapshotStreamRoute,
  },
  {
    method: 'POST',
    path: '/ofrep/v1/evaluate/flags',
    name: 'ofrep_bulk',
    guard: 'client-token',
    handler: ofrepBulkRoute,
  },
  {
    method: 'POST',
    path: '/ofrep/v1/evaluate/flags/{key}',
    name: 'ofrep_flag',
    guard: 'client-token',
    handler: ofrepFlagRoute,
  },
  {
    method: 'GET',
    path: '/ofrep/v1/configuration',
    name: 'ofrep_configuration',
    guard: 'client-token',
    handler: ofrepConfigurationRoute,
  },
  {
    method: 'GET',
    path: '/ofrep/v1/_stream/{env}/{ns}/events',
    name: 'ofrep_stream',
    guard: 'client-token',
    handler: ofrepStreamRoute,
  },
  {
    method: 'GET',
    path: '/api/v1/namespaces/{ns}/flags',
    name: 'list_flags',
    guard: 'client-token',
    handler: listFlagsRoute,
  },
  {
    method: 'GET',
    path: '/api/v1/namespaces/{ns}/flags/{key}',
    name: 'get_flag',
    guard: 'client-token',
    handler: getFlagRoute,
  },
  ...readRoute('/api/v1/namespaces', 'list_namespaces', listNamespacesRoute),
  ...readRoute('/api/v1/namespaces/{ns}', 'get_namespace', getNamespaceRoute),
  ...readRoute('/api/v1/namespaces/{ns}/segments', 'list_segments', listSegmentsRoute),
  ...readRoute('/api/v1/namespaces/{ns}/segments/{key}', 'get_segment', getSegmentRoute),
  ...readRoute('/api/v1/namespaces/{ns}/flags/{key}/rules', 'list_rules', listRulesRoute),
  ...readRoute('/api/v1/namespaces/{ns}/flags/{key}/rules/{id}', 'get_rule', getRuleRoute),
  ...readRoute('/api/v1/namespaces/{ns}/flags/{key}/rollouts', 'list_rollouts', listRolloutsRoute),
  ...readRoute('/api/v1/namespaces/{ns}/flags/{key}/rollouts/{id}', 'get_rollout', getRolloutRoute),
  {
    method: 'GET',
    path: '/api/switchyard/v1/environments/{env}/source',
    name: 'mirror_source',
    guard: 'client-token',
    handler: sourceRoute,
  },
  {
    method: 'GET',
    path: '/api/switchyard/v1/environments/{env}/watch',
    name: 'mirror_watch',
    guard: 'client-token',
    handler: watchRoute,
  },
  {
    method: 'POST',
    path: '/api/switchyard/v1/refresh',
    name: 'refresh',
    guard: 'client-token',
    handler: refreshRoute,
  },
  { method: 'GET', path: '/health', name: 'health', guard: 'public', handler: healthRoute },
  { method: 'GET', path: '/ready', name: 'ready', guard: 'ops', handler: readyRoute },
  { method: 'GET', path: '/metrics', name: 'metrics', guard: 'ops', handler: metricsRoute },
];

/** A matched route with decoded path parameters. */
export interface Match {
  route: Route;
  params: string[];
}

function decodeSegment(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    throw errors.invalidArgument('invalid percent-encoding in path');
  }
}

/** Path parameters of a route without any (shared: handlers only spread them). */
const NO_PARAMS: string[] = Object.freeze([]) as unknown as string[];

/**
 * Compiles the table: exact paths in Maps by method, each with its one Match (the hot evaluate
 * routes: a lookup allocates nothing), templates as regexes.
 */
export function compileRoutes(
  routes: readonly Route[] = ROUTES,
): (method: string, path: string) => Match | undefined {
  const exact = new Map<string, Map<string, Match>>();
  const templated: Array<{ route: Route; re: RegExp }> = [];
  for (const r of routes) {
    if (!r.path.includes('{')) {
      const byPath = exact.get(r.method) ?? new Map<string, Match>();
      byPath.set(r.path, { route: r, params: NO_PARAMS });
      exact.set(r.method, byPath);
    } else
      templated.push({ route: r, re: new RegExp(`^${r.path.replace(/\{[^}]+\}/g, '([^/]+)')}$`) });
  }
  return (method, path) => {
    const hit = exact.get(method)?.get(path);
    if (hit) return hit;
    for (const { route, re } of templated) {
      if (route.method !== method) continue;
      const m = re.exec(path);
      if (m) return { route, params: m.slice(1).map(decodeSegment) };
    }
    return undefined;
  };
}
