import { Controller, Get, Headers, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { OrgContext } from '../common/request-context.js';
import { Api, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { envParams } from '../environments/environments.dto.js';
import { withEtag } from './etag.js';
import { writeResult } from './flags.dto.js';
import {
  diffQuery,
  diffView,
  historyPage,
  historyQuery,
  revertBody,
  type DiffQueryDto,
  type HistoryQueryDto,
  type RevertBody,
} from './history.dto.js';
import { HistoryService } from './history.service.js';

/** History, diff and revert of an environment. */
@Controller('api/v1/orgs/:org/environments/:env')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get('history')
  @Permission('flags:read')
  @Api({
    tag: 'flags',
    summary: 'Commits of the environment (optionally one namespace or flag), newest first',
    params: envParams,
    query: historyQuery,
    response: historyPage,
  })
  list(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: { env: string },
    @Valid('query') q: HistoryQueryDto,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return withEtag(r, this.history.history(ctx, p.env, q));
  }

  @Get('diff')
  @Permission('flags:read')
  @Api({
    tag: 'flags',
    summary: 'Diff two revisions of the environment',
    params: envParams,
    query: diffQuery,
    response: diffView,
  })
  diff(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: { env: string },
    @Valid('query') q: DiffQueryDto,
  ) {
    return this.history.diff(ctx, p.env, q);
  }

  @Post('revert')
  @Permission('flags:write')
  @Api({
    tag: 'flags',
    summary: 'Revert a commit as a new commit (If-Match)',
    params: envParams,
    body: revertBody,
    response: writeResult,
  })
  revert(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: { env: string },
    @Headers('if-match') m: string | undefined,
    @Valid('body') b: RevertBody,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return withEtag(r, this.history.revert(ctx, p.env, m, b.revision));
  }
}
