import { Controller, Get, Inject } from '@nestjs/common';
import type { Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { DB } from '../common/tokens.js';
import { Api, Public } from '../common/route.decorators.js';
import { buildOpenApi } from './openapi.builder.js';
import { RouteTableService } from './route-table.js';

@Controller('api/v1')
export class OpenApiController {
  constructor(
    private readonly routes: RouteTableService,
    @Inject(DB) private readonly db: Database,
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
  @Api({ tag: 'meta', summary: 'Readiness: the database answers' })
  async ready() {
    try {
      await this.db.$queryRaw`SELECT 1`;
    } catch {
      throw errors.unavailable('database unavailable');
    }
    return { status: 'ready' };
  }
}
