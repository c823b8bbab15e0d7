import { Controller, Delete, Get, Headers, Patch, Post, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Flag, Segment } from '@switchyard/flags';
import type { OrgContext } from '../common/request-context.js';
import { Api, Idempotent, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { envParams } from '../environments/environments.dto.js';
import { withEtag } from './etag.js';
import * as dto from './flags.dto.js';
import { FlagsService } from './flags.service.js';

type Reply = FastifyReply;
const T = 'flags';

/** Namespaces, flags and segments. Reads return the revision as ETag; writes need If-Match. */
@Controller('api/v1/orgs/:org/environments/:env/namespaces')
export class FlagsController {
  constructor(private readonly flags: FlagsService) {}

  @Get()
  @Permission('flags:read')
  @Api({ tag: T, summary: 'List namespaces', params: envParams, response: dto.namespaceList })
  listNamespaces(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: { env: string },
    @Res({ passthrough: true }) r: Reply,
  ) {
    return withEtag(r, this.flags.listNamespaces(ctx, p.env));
  }

  @Post()
  @Permission('flags:write')
  @Idempotent()
  @Api({
    tag: T,
    summary: 'Create a namespace (If-Match)',
    params: envParams,
    query: dto.writeQuery,
    body: dto.createNamespaceBody,
    response: dto.writeResult,
    status: 201,
  })
  createNamespace(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: { env: string },
    @Valid('query') q: dto.WriteQuery,
    @Headers('if-match') m: string | undefined,
    @Valid('body') b: dto.CreateNamespaceBody,
    @Res({ passthrough: true }) r: Reply,
  ) {
    return withEtag(
      r,
      this.flags.createNamespace(
        ctx,
        { envKey: p.env, ifMatch: m, proposal: q.proposal, message: q.message },
        b,
      ),
    );
  }

  @Patch(':ns')
  @Permission('flags:write')
  @Api({
    tag: T,
    summary: 'Update a namespace (If-Match)',
    params: dto.nsParams,
    query: dto.writeQuery,
    body: dto.updateNamespaceBody,
    response: dto.writeResult,
  })
  updateNamespace(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: dto.NsParams,
    @Valid('query') q: dto.WriteQuery,
    @Headers('if-match') m: string | undefined,
    @Valid('body') b: dto.UpdateNamespaceBody,
    @Res({ passthrough: true }) r: Reply,
  ) {
    return withEtag(
      r,
      this.flags.updateNamespace(
        ctx,
        { envKey: p.env, ifMatch: m, proposal: q.proposal, message: q.message },
        p.ns,
        b,
      ),
    );
  }

  @Delete(':ns')
  @Permission('flags:write')
  @Api({
    tag: T,
    summary: 'Delete a namespace (If-Match)',
    params: dto.nsParams,
    query: dto.writeQuery,
    response: dto.writeResult,
  })
  deleteNamespace(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: dto.NsParams,
    @Valid('query') q: dto.WriteQuery,
    @Headers('if-match') m: string | undefined,
    @Res({ passthrough: true }) r: Reply,
  ) {
    return withEtag(
      r,
      this.flags.deleteNamespace(
        ctx,
        { envKey: p.env, ifMatch: m, proposal: q.proposal, message: q.message },
        p.ns,
      ),
    );
  }

  @Get(':ns/flags')
  @Permission('flags:read')
  @Api({
    tag: T,
    summary: 'List flags of a namespace (optionally searched and filtered)',
    params: dto.nsParams,
    query: dto.listFlagsQuery,
    response: dto.flagList,
  })
  listFlags(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: dto.NsParams,
    @Valid('query') q: dto.ListFlagsQuery,
    @Res({ passthrough: true }) r: Reply,
  ) {
    return withEtag(r, this.flags.listFlags(ctx, p.env, p.ns, q));
  }

  @Get(':ns/flags/:flag')
  @Permission('flags:read')
  @Api({ tag: T, summary: 'Get a flag', params: dto.flagParams, response: dto.flagView })
  getFlag(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: dto.FlagParams,
    @Res({ passthrough: true }) r: Reply,
  ) {
    return withEtag(r, this.flags.getFlag(ctx, p.env, p.ns, p.flag));
  }

  @Put(':ns/flags/:flag')
  @Permission('flags:write')
  @Api({
    tag: T,
    summary: 'Create or replace a flag with its variants, rules and rollouts (If-Match)',
    params: dto.flagParams,
    query: dto.writeQuery,
    body: dto.flagBody,
    response: dto.writeResult,
  })
  putFlag(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: dto.FlagParams,
    @Valid('query') q: dto.WriteQuery,
    @Headers('if-match') m: string | undefined,
    @Valid('body') b: Flag,
    @Res({ passthrough: true }) r: Reply,
  ) {
    return withEtag(
      r,
      this.flags.putFlag(
        ctx,
        { envKey: p.env, ifMatch: m, proposal: q.proposal, message: q.message },
        p.ns,
        p.flag,
        b,
      ),
    );
  }

  @Delete(':ns/flags/:flag')
  @Permission('flags:write')
  @Api({
    tag: T,
    summary: 'Delete a flag (If-Match)',
    params: dto.flagParams,
    query: dto.writeQuery,
    response: dto.writeResult,
  })
  deleteFlag(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: dto.FlagParams,
    @Valid('query') q: dto.WriteQuery,
    @Headers('if-match') m: string | undefined,
    @Res({ passthrough: true }) r: Reply,
  ) {
    return withEtag(
      r,
      this.flags.deleteFlag(
        ctx,
        { envKey: p.env, ifMatch: m, proposal: q.proposal, message: q.message },
        p.ns,
        p.flag,
      ),
    );
  }

  @Put(':ns/flags/:flag/rules')
  @Permission('flags:write')
  @Api({
    tag: T,
    summary: 'Replace or reorder the rules of a variant flag (If-Match)',
    params: dto.flagParams,
    query: dto.writeQuery,
    body: dto.rulesBody,
    response: dto.writeResult,
  })
  setRules(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: dto.FlagParams,
    @Valid('query') q: dto.WriteQuery,
    @Headers('if-match') m: string | undefined,
    @Valid('body') b: dto.RulesBody,
    @Res({ passthrough: true }) r: Reply,
  ) {
    return withEtag(
      r,
      this.flags.setRules(
        ctx,
        { envKey: p.env, ifMatch: m, proposal: q.proposal, message: q.message },
        p.ns,
        p.flag,
        b,
      ),
    );
  }

  @Put(':ns/flags/:flag/rollouts')
  @Permission('flags:write')
  @Api({
    tag: T,
    summary: 'Replace or reorder the rollouts of a boolean flag (If-Match)',
    params: dto.flagParams,
    query: dto.writeQuery,
    body: dto.rolloutsBody,
    response: dto.writeResult,
  })
  setRollouts(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: dto.FlagParams,
    @Valid('query') q: dto.WriteQuery,
    @Headers('if-match') m: string | undefined,
    @Valid('body') b: dto.RolloutsBody,
    @Res({ passthrough: true }) r: Reply,
  ) {
    return withEtag(
      r,
      this.flags.setRollouts(
        ctx,
        { envKey: p.env, ifMatch: m, proposal: q.proposal, message: q.message },
        p.ns,
        p.flag,
        b,
      ),
    );
  }

  @Get(':ns/segments')
  @Permission('flags:read')
  @Api({
    tag: T,
    summary: 'List segments of a namespace',
    params: dto.nsParams,
    response: dto.segmentList,
  })
  listSegments(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: dto.NsParams,
    @Res({ passthrough: true }) r: Reply,
  ) {
    return withEtag(r, this.flags.listSegments(ctx, p.env, p.ns));
  }

  @Get(':ns/segments/:segment')
  @Permission('flags:read')
  @Api({ tag: T, summary: 'Get a segment', params: dto.segmentParams, response: dto.segmentView })
  getSegment(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: dto.SegmentParams,
    @Res({ passthrough: true }) r: Reply,
  ) {
    return withEtag(r, this.flags.getSegment(ctx, p.env, p.ns, p.segment));
  }

  @Put(':ns/segments/:segment')
  @Permission('flags:write')
  @Api({
    tag: T,
    summary: 'Create or replace a segment with its constraints (If-Match)',
    params: dto.segmentParams,
    query: dto.writeQuery,
    body: dto.segmentBody,
    response: dto.writeResult,
  })
  putSegment(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: dto.SegmentParams,
    @Valid('query') q: dto.WriteQuery,
    @Headers('if-match') m: string | undefined,
    @Valid('body') b: Segment,
    @Res({ passthrough: true }) r: Reply,
  ) {
    return withEtag(
      r,
      this.flags.putSegment(
        ctx,
        { envKey: p.env, ifMatch: m, proposal: q.proposal, message: q.message },
        p.ns,
        p.segment,
        b,
      ),
    );
  }

  @Delete(':ns/segments/:segment')
  @Permission('flags:write')
  @Api({
    tag: T,
    summary: 'Delete a segment (If-Match)',
    params: dto.segmentParams,
    query: dto.writeQuery,
    response: dto.writeResult,
  })
  deleteSegment(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: dto.SegmentParams,
    @Valid('query') q: dto.WriteQuery,
    @Headers('if-match') m: string | undefined,
    @Res({ passthrough: true }) r: Reply,
  ) {
    return withEtag(
      r,
      this.flags.deleteSegment(
        ctx,
        { envKey: p.env, ifMatch: m, proposal: q.proposal, message: q.message },
        p.ns,
        p.segment,
      ),
    );
  }
}
