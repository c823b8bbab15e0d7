/**
 * The edge router's route table: for every organisation with an instance that runs or sleeps, its
 * slug, its environment keys, the instance's base URL and its gRPC address, and whether it sleeps.
 * The edge persists it, so routing survives a control-plane outage. A request to a sleeping
 * organisation makes the edge call {@link EdgeRoutesService.wake} before forwarding.
 */
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Route, RouteTable } from '@switchyard/contracts';
import type { Database, InstanceStatus } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { DB } from '../common/tokens.js';
import { instanceGrpcAddress } from './environment-urls.js';
import { InstanceWaker } from './instance-waker.js';

/** Statuses the edge routes (a sleeping instance is routed: the edge wakes it). */
const ROUTED: InstanceStatus[] = ['ready', 'degraded', 'provisioning', 'sleeping'];

/** Builds the route table and wakes sleeping organisations for the edge. */
@Injectable()
export class EdgeRoutesService {
  constructor(
    @Inject(DB) private readonly db: Database,
    private readonly waker: InstanceWaker,
  ) {}

  async table(): Promise<RouteTable> {
    const routes = await this.#routes();
    return {
      routes,
      version: createHash('sha256').update(JSON.stringify(routes)).digest('hex').slice(0, 16),
    };
  }

  /**
   * The route of `orgSlug` once its instance serves: a sleeping one is woken first (Unavailable
   * when that does not happen within `timeoutMs`); an awake one answers at once.
   */
  async wake(orgSlug: string, timeoutMs: number): Promise<Route> {
    const row = await this.db.instance.findFirst({
      where: { org: { slug: orgSlug } },
      select: { orgId: true, status: true },
    });
    if (!row || !ROUTED.includes(row.status)) throw errors.notFound('no such organisation');
    if (row.status === 'sleeping') await this.waker.wake(row.orgId, timeoutMs);
    const [route] = await this.#routes(orgSlug);
    if (!route || route.sleeping)
      throw errors.unavailable('the instance went back to sleep before it could answer');
    return route;
  }

  async #routes(orgSlug?: string): Promise<Route[]> {
    const rows = await this.db.instance.findMany({
      where: {
        endpoint: { not: null },
        status: { in: ROUTED },
        ...(orgSlug ? { org: { slug: orgSlug } } : {}),
      },
      select: {
        endpoint: true,
        status: true,
        observedState: true,
        org: {
          select: { slug: true, environments: { select: { key: true }, orderBy: { key: 'asc' } } },
        },
      },
      orderBy: { orgId: 'asc' },
    });
    return rows.map((r) => ({
      orgSlug: r.org.slug,
      environments: r.org.environments.map((e) => e.key),
      upstream: r.endpoint!,
      // gRPC through environment URLs (h2c at the edge) goes to the instance's gRPC server.
      grpcUpstream: instanceGrpcAddress(r.observedState) ?? '',
      sleeping: r.status === 'sleeping',
    }));
  }
}
