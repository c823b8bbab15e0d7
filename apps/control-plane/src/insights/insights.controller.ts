import { Controller, Get, Headers, Post } from '@nestjs/common';
import type { OrgContext } from '../common/request-context.js';
import { Api, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import type { FlagParams, WriteQuery } from '../flags/flags.dto.js';
import * as dto from './insights.dto.js';
import { StaleFlagsService } from './stale-flags.service.js';
import { UsageService } from './usage.service.js';

const T = 'insights';

/** Evaluation counts, last evaluated, stale flags and their archive. */
@Controller('api/v1/orgs/:org')
export class InsightsController {
  constructor(
    private readonly usage: UsageService,
    private readonly stale: StaleFlagsService,
  ) {}

  @Get('environments/:env/namespaces/:ns/flags/:flag/usage')
  @Permission('flags:read')
  @Api({
    tag: T,
    summary:
      'Evaluations of a flag per value over time, the commits to it, and when it was last evaluated in each environment',
    params: dto.flagParams,
    query: dto.usageQuery,
    response: dto.flagUsage,
  })
  flagUsage(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: FlagParams,
    @Valid('query') q: dto.UsageQuery,
  ) {
    return this.usage.flagUsage(ctx, p.env, p.ns, p.flag, q);
  }

  @Get('environments/:env/usage-summary')
  @Permission('flags:read')
  @Api({
    tag: T,
    summary: 'Hourly evaluations per flag of an environment (trend lines of the flag list)',
    params: dto.envParams,
    query: dto.summaryQuery,
    response: dto.usageSummary,
  })
  summary(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: { env: string },
    @Valid('query') q: dto.SummaryQuery,
  ) {
    return this.usage.summary(ctx, p.env, q);
  }

  @Get('environments/:env/stale-flags')
  @Permission('flags:read')
  @Api({
    tag: T,
    summary: 'Flags not evaluated, or serving one value only, for N days without a commit',
    params: dto.envParams,
    query: dto.staleQuery,
    response: dto.staleFlags,
  })
  staleFlags(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: { env: string },
    @Valid('query') q: dto.StaleQuery,
  ) {
    return this.stale.list(ctx, p.env, q);
  }

  @Post('environments/:env/stale-flags/archive')
  @Permission('flags:write')
  @Api({
    tag: T,
    summary: 'Archive flags (delete them in one commit, or one proposal commit) (If-Match)',
    params: dto.envParams,
    query: dto.writeQuery,
    body: dto.archiveBody,
    response: dto.writeResult,
  })
  archive(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: { env: string },
    @Valid('query') q: WriteQuery,
    @Headers('if-match') m: string | undefined,
    @Valid('body') b: dto.ArchiveBody,
  ) {
    return this.stale.archive(ctx, p.env, m, q, b);
  }
}
