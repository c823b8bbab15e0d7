import { Controller, Headers, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { OrgContext } from '../common/request-context.js';
import { Api, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { envParams } from '../environments/environments.dto.js';
import { withEtag } from '../flags/etag.js';
import { writeQuery, writeResult, type WriteQuery } from '../flags/flags.dto.js';
import { promotionBody, promotionPreview, type PromotionBody } from './promotion.dto.js';
import { PromotionService } from './promotion.service.js';

/** Promotions into the environment in the path. */
@Controller('api/v1/orgs/:org/environments/:env/promotions')
export class PromotionController {
  constructor(private readonly promotion: PromotionService) {}

  @Post('preview')
  @Permission('flags:write')
  @Api({
    tag: 'flags',
    summary: 'Preview a promotion into this environment (the diff; nothing is written)',
    params: envParams,
    body: promotionBody,
    response: promotionPreview,
  })
  preview(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: { env: string },
    @Valid('body') b: PromotionBody,
  ) {
    return this.promotion.preview(ctx, p.env, b);
  }

  @Post()
  @Permission('flags:write')
  @Api({
    tag: 'flags',
    summary:
      'Promote a flag, a namespace or everything into this environment as one commit (If-Match of this environment, or of ?proposal=<id> on protected ones)',
    params: envParams,
    query: writeQuery,
    body: promotionBody,
    response: writeResult,
  })
  promote(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: { env: string },
    @Valid('query') q: WriteQuery,
    @Headers('if-match') m: string | undefined,
    @Valid('body') b: PromotionBody,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return withEtag(
      r,
      this.promotion.promote(ctx, { envKey: p.env, ifMatch: m, proposal: q.proposal }, b),
    );
  }
}
