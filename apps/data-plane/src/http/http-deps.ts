/** What the HTTP routes need from the process, passed explicitly (no globals). */
import type { Logger } from '../logger.js';
import type { TokenTable } from '../auth/token-table.js';
import type { EnvironmentHints, EvaluationService } from '../evaluation/evaluation.service.js';
import type { DataPlaneMetrics } from '../metrics/metrics.js';
import type { Activity } from '../state/activity.js';
import type { EnvironmentRegistry } from '../state/environment-registry.js';
import { header, type RequestContext } from './http-kit.js';
import type { StreamHub } from './stream-hub.js';

/** Dependencies of every HTTP route. */
export interface HttpDeps {
  service: EvaluationService;
  registry: EnvironmentRegistry;
  tokens: TokenTable;
  metrics: DataPlaneMetrics;
  logger: Logger;
  streams: StreamHub;
  /** Honour `X-Switchyard-Edge-Environment` (only behind our edge router). */
  trustEdgeHeader: boolean;
  /** Last-served-request clock (idle sleep); operations endpoints do not mark it. */
  activity?: Activity | undefined;
  /** False until startup finished (instance mode: caught up with the control plane's revisions). */
  started?: (() => boolean) | undefined;
  /** On-demand sync refresh (push notifications); undefined when no sync runs. */
  refresh?: ((environment?: string) => Promise<void>) | undefined;
}

/** Header the edge router and the Ingress set on every request through an environment URL. */
export const EDGE_ENV_HEADER = 'x-switchyard-edge-environment';

/**
 * Path prefix of the environment URL the request came through (`/e/{org}/{env}`; '' in host form
 * or on the instance port), for URLs handed back to the client.
 */
export function edgePrefix(deps: HttpDeps, ctx: RequestContext): string {
  if (!deps.trustEdgeHeader) return '';
  const p = header(ctx.req, 'x-switchyard-edge-prefix') ?? '';
  return /^\/e\/[a-z0-9-]+\/[a-z0-9-]+$/.test(p) ? p : '';
}

/** Environment hints carried by HTTP headers. */
export function headerHints(deps: HttpDeps, ctx: RequestContext): EnvironmentHints {
  return {
    header: header(ctx.req, 'x-flipt-environment'),
    edge: deps.trustEdgeHeader ? header(ctx.req, EDGE_ENV_HEADER) : undefined,
  };
}
