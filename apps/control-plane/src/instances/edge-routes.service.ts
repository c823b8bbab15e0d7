/**
 * The edge router's route table: for every organisation with a running instance, its slug, its
 * environment keys, the instance's base URL and its gRPC address. The edge persists it, so routing survives a
 * control-plane outage.
 */
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { RouteTable } from '@switchyard/contracts';
import type { Database } from '@switchyard/db';
import { DB } from '../common/tokens.js';
import { instanceGrpcAddress } from './environment-urls.js';

/** Builds the route table. */
@Injectable()
export class EdgeRoutesService {
  constructor(@Inject(DB) private readonly db: Database) {}

  async table(): Promise<RouteTable> {
    const rows = await this.db.instance.findMany({
      where: { endpoint: { not: null }, status: { in: ['ready', 'degraded', 'provisioning'] } },
      select: {
        endpoint: true,
        observedState: true,
        org: {
          select: { slug: true, environments: { select: { key: true }, orderBy: { key: 'asc' } } },
        },
      },
      orderBy: { orgId: 'asc' },
    });
    const routes = rows.map((r) => ({
      orgSlug: r.org.slug,
      environments: r.org.environments.map((e) => e.key),
      upstream: r.endpoint!,
      // gRPC through environment URLs (h2c at the edge) goes to the instance's gRPC server.
      grpcUpstream: instanceGrpcAddress(r.observedState) ?? '',
    }));
    return {
      routes,
      version: createHash('sha256').update(JSON.stringify(routes)).digest('hex').slice(0, 16),
    };
  }
}
