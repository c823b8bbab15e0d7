import { Controller, Get, Headers, Post } from '@nestjs/common';
import type { OrgContext } from '../common/request-context.js';
import { Api, Idempotent, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { envParams } from '../environments/environments.dto.js';
import * as dto from './schedules.dto.js';
import { SchedulesService } from './schedules.service.js';

const T = 'scheduled changes';

/** Changes applied by the scheduler at a time: schedule, list, approve (proposals), cancel. */
@Controller('api/v1/orgs/:org/environments/:env/scheduled-changes')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Post()
  @Permission('flags:write')
  @Idempotent()
  @Api({
    tag: T,
    summary:
      'Schedule a flag edit, a promotion or a proposal merge (If-Match: the revision reviewed)',
    params: envParams,
    body: dto.createScheduleBody,
    response: dto.scheduleView,
    status: 201,
  })
  create(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: { env: string },
    @Headers('if-match') m: string | undefined,
    @Valid('body') b: dto.CreateScheduleBody,
  ) {
    return this.schedules.create(ctx, p.env, m, b);
  }

  @Get()
  @Permission('flags:read')
  @Api({
    tag: T,
    summary: 'List scheduled changes of an environment (optionally of one flag), by time',
    params: envParams,
    query: dto.listSchedulesQuery,
    response: dto.scheduleList,
  })
  list(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: { env: string },
    @Valid('query') q: dto.ListSchedulesQuery,
  ) {
    return this.schedules.list(ctx, p.env, q);
  }

  @Get(':scheduleId')
  @Permission('flags:read')
  @Api({
    tag: T,
    summary: 'Get a scheduled change',
    params: dto.scheduleParams,
    response: dto.scheduleView,
  })
  get(@OrgCtx() ctx: OrgContext, @Valid('params') p: dto.ScheduleParams) {
    return this.schedules.get(ctx, p.env, p.scheduleId);
  }

  @Post(':scheduleId/cancel')
  @Permission('flags:write')
  @Api({
    tag: T,
    summary: 'Cancel a scheduled change that has not run',
    params: dto.scheduleParams,
    response: dto.scheduleView,
  })
  cancel(@OrgCtx() ctx: OrgContext, @Valid('params') p: dto.ScheduleParams) {
    return this.schedules.cancel(ctx, p.env, p.scheduleId);
  }

  @Post(':scheduleId/approve')
  @Permission('proposals:approve')
  @Api({
    tag: T,
    summary: 'Approve a scheduled proposal merge (If-Match: the proposal revision reviewed)',
    params: dto.scheduleParams,
    response: dto.scheduleView,
  })
  approve(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: dto.ScheduleParams,
    @Headers('if-match') m: string | undefined,
  ) {
    return this.schedules.approve(ctx, p.env, p.scheduleId, m);
  }
}
