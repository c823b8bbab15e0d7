import { Controller, Get, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { OrgContext } from '../common/request-context.js';
import { Api, OrgCtx, Permission, Public, Valid } from '../common/route.decorators.js';
import { rawBodyOf } from './raw-body.js';
import {
  webhookConfig,
  webhookConfigParams,
  webhookParams,
  webhookResult,
  type WebhookParams,
} from './webhooks.dto.js';
import { WebhooksService } from './webhooks.service.js';

/** Push webhooks (signature-authenticated, hence public for the guard) and their configuration. */
@Controller('api/v1')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('webhooks/:provider/:repositoryId')
  @Public()
  @Api({
    tag: 'webhooks',
    summary: 'Push webhook from GitHub (X-Hub-Signature-256) or GitLab (X-Gitlab-Token)',
    params: webhookParams,
    response: webhookResult,
    status: 202,
  })
  receive(@Valid('params') p: WebhookParams, @Req() req: FastifyRequest) {
    return this.webhooks.receive({
      provider: p.provider,
      repositoryId: p.repositoryId,
      headers: req.headers,
      raw: rawBodyOf(req),
    });
  }

  @Get('orgs/:org/repositories/:repositoryId/webhook')
  @Permission('repositories:write')
  @Api({
    tag: 'webhooks',
    summary: 'Webhook path and secret to configure at GitHub or GitLab',
    params: webhookConfigParams,
    response: webhookConfig,
  })
  config(@OrgCtx() ctx: OrgContext, @Valid('params') p: { repositoryId: string }) {
    return this.webhooks.config(ctx, p.repositoryId);
  }
}
