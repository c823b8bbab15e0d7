import { Controller, Get, Headers, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { OrgContext } from '../common/request-context.js';
import { Api, Idempotent, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { envParams } from '../environments/environments.dto.js';
import { withEtag } from '../flags/etag.js';
import { writeResult } from '../flags/flags.dto.js';
import {
  createProposalBody,
  proposalDetail,
  proposalList,
  proposalParams,
  proposalView,
  requestChangesBody,
  type CreateProposalBody,
  type ProposalParams,
  type RequestChangesBody,
} from './proposals.dto.js';
import { ProposalsService } from './proposals.service.js';

/** Proposals of an environment. */
@Controller('api/v1/orgs/:org/environments/:env/proposals')
export class ProposalsController {
  constructor(private readonly proposals: ProposalsService) {}

  @Post()
  @Permission('flags:write')
  @Idempotent()
  @Api({
    tag: 'proposals',
    summary: 'Open a proposal (a branch from the current revision)',
    params: envParams,
    body: createProposalBody,
    response: proposalView,
    status: 201,
  })
  create(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: { env: string },
    @Valid('body') b: CreateProposalBody,
  ) {
    return this.proposals.create(ctx, p.env, b.title);
  }

  @Get()
  @Permission('flags:read')
  @Api({
    tag: 'proposals',
    summary: 'List proposals, newest first',
    params: envParams,
    response: proposalList,
  })
  list(@OrgCtx() ctx: OrgContext, @Valid('params') p: { env: string }) {
    return this.proposals.list(ctx, p.env);
  }

  @Get(':proposalId')
  @Permission('flags:read')
  @Api({
    tag: 'proposals',
    summary: 'Get a proposal with its diff',
    params: proposalParams,
    response: proposalDetail,
  })
  get(@OrgCtx() ctx: OrgContext, @Valid('params') p: ProposalParams) {
    return this.proposals.get(ctx, p.env, p.proposalId);
  }

  @Post(':proposalId/approve')
  @Permission('proposals:approve')
  @Api({
    tag: 'proposals',
    summary:
      'Approve the reviewed revision of a proposal (If-Match: the proposal revision reviewed; 428 without, 409 when it changed since; not by its author); merging is a separate step',
    params: proposalParams,
    response: proposalView,
  })
  approve(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: ProposalParams,
    @Headers('if-match') m: string | undefined,
  ) {
    return this.proposals.approve(ctx, p.env, p.proposalId, m);
  }

  @Post(':proposalId/merge')
  @Permission('flags:write')
  @Api({
    tag: 'proposals',
    summary:
      'Merge an approved proposal into the environment as one commit (If-Match: the proposal revision approved; 412 without an approval of it, 409 when it changed or conflicts)',
    params: proposalParams,
    response: writeResult,
  })
  merge(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: ProposalParams,
    @Headers('if-match') m: string | undefined,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return withEtag(r, this.proposals.merge(ctx, p.env, p.proposalId, m));
  }

  @Post(':proposalId/request-changes')
  @Permission('proposals:approve')
  @Api({
    tag: 'proposals',
    summary:
      'Request changes to the reviewed revision of a proposal (If-Match: the proposal revision reviewed; withdrawn when the proposal changes; not by its author)',
    params: proposalParams,
    body: requestChangesBody,
    response: proposalView,
  })
  requestChanges(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: ProposalParams,
    @Headers('if-match') m: string | undefined,
    @Valid('body') b: RequestChangesBody,
  ) {
    return this.proposals.requestChanges(ctx, p.env, p.proposalId, m, b.comment);
  }
}
