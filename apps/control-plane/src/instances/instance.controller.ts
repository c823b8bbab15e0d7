import { Controller, Get } from '@nestjs/common';
import type { OrgContext } from '../common/request-context.js';
import { Api, OrgCtx, Permission } from '../common/route.decorators.js';
import { orgParams } from '../orgs/orgs.dto.js';
import { instanceView } from './instance.dto.js';
import { InstanceViewService } from './instance-view.service.js';

@Controller('api/v1/orgs/:org/instance')
export class InstanceController {
  constructor(private readonly instances: InstanceViewService) {}

  @Get()
  @Permission('environments:read')
  @Api({
    tag: 'instance',
    summary: "The organisation's instance status",
    params: orgParams,
    response: instanceView,
  })
  get(@OrgCtx() ctx: OrgContext) {
    return this.instances.get(ctx);
  }
}
