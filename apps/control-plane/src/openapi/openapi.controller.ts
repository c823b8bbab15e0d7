import { Controller, Get, Inject } from '@nestjs/common';
import type { Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { DB } from '../common/tokens.js';
import { EnvironmentStoreService } from '../git-hosting/environment-store.service.js';
import { Api, Public } from '../common/route.decorators.js';
import { buildOpenApi } from './openapi.builder.js';
import { RouteTableService } from './route-table.js';

@Controller('api/v1')
export class OpenApiController {
  constructor(
    private readonly routes: RouteTableService,
    @Inject(DB) private readonly db: Database,
    private readonly stores: EnvironmentStoreService,
  ) {}

  @Get('openapi.json')
  @Public()
  @Api({ tag: 'meta', summary: 'This OpenAPI document' })
  document() {
    return buildOpenApi(this.routes.routes());
  }

  @Get('health')
  @Public()
  @Api({ tag: 'meta', summary: 'Liveness' })
  health() {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @Api({
    tag: 'meta',
    summary:
      'Readiness: the database answers (503 otherwise); "degraded" when hosted repositories the database knows are missing or behind (restore from backup; details in each environment\'s storage status)',
  })
  async ready() {
    try {
      await this.db.$queryRaw`SELECT 1`;
    } catch {
      throw errors.unavailable('database unavailable');
    }
    // Still 200: the other environments are served, and a restart would not bring the data back.
    // Unauthenticated, so only a count: which environments is for their members to see.
    const lost = await this.stores.lostHostedCount();
    if (lost > 0) return { status: 'degraded', hostedRepositoriesLost: lost };
    return { status: 'ready' };
  }
}
