import { Controller, Get } from '@nestjs/common';
import { Api, Public } from '../common/route.decorators.js';
import { buildOpenApi } from './openapi.builder.js';
import { RouteTableService } from './route-table.js';

@Controller('api/v1')
export class OpenApiController {
  constructor(private readonly routes: RouteTableService) {}

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
}
