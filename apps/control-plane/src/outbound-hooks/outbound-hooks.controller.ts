import { Controller, Delete, Get, Patch, Post } from '@nestjs/common';
import { pageQuery, type PageQuery } from '../common/pagination.js';
import type { OrgContext } from '../common/request-context.js';
import { Api, Idempotent, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { orgParams } from '../orgs/orgs.dto.js';
import {
  createdHook,
  createHookBody,
  deliveryDetail,
  deliveryPage,
  deliveryView,
  hookDeliveryParams,
  hookPage,
  hookParams,
  hookView,
  updateHookBody,
  type CreateHookBody,
  type UpdateHookBody,
} from './outbound-hooks.dto.js';
import { OutboundHooksService } from './outbound-hooks.service.js';

type HookParams = { hookId: string };
type DeliveryParams = HookParams & { deliveryId: string };

/** Outbound webhooks of an organisation (inbound git-host push hooks live in webhooks/). */
@Controller('api/v1/orgs/:org/outbound-webhooks')
export class OutboundHooksController {
  constructor(private readonly hooks: OutboundHooksService) {}

  @Get()
  @Permission('hooks:read')
  @Api({
    tag: 'outbound-webhooks',
    summary: 'List outbound webhooks',
    params: orgParams,
    query: pageQuery,
    response: hookPage,
  })
  list(@OrgCtx() ctx: OrgContext, @Valid('query') query: PageQuery) {
    return this.hooks.list(ctx, query);
  }

  @Post()
  @Permission('hooks:write')
  @Idempotent()
  @Api({
    tag: 'outbound-webhooks',
    summary: 'Create an outbound webhook (signing secret shown once)',
    params: orgParams,
    body: createHookBody,
    response: createdHook,
    status: 201,
  })
  create(@OrgCtx() ctx: OrgContext, @Valid('body') body: CreateHookBody) {
    return this.hooks.create(ctx, body);
  }

  @Get(':hookId')
  @Permission('hooks:read')
  @Api({
    tag: 'outbound-webhooks',
    summary: 'Get an outbound webhook',
    params: hookParams,
    response: hookView,
  })
  get(@OrgCtx() ctx: OrgContext, @Valid('params') params: HookParams) {
    return this.hooks.get(ctx, params.hookId);
  }

  @Patch(':hookId')
  @Permission('hooks:write')
  @Api({
    tag: 'outbound-webhooks',
    summary: 'Change an outbound webhook (name, URL, events, enabled)',
    params: hookParams,
    body: updateHookBody,
    response: hookView,
  })
  update(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') params: HookParams,
    @Valid('body') body: UpdateHookBody,
  ) {
    return this.hooks.update(ctx, params.hookId, body);
  }

  @Delete(':hookId')
  @Permission('hooks:write')
  @Api({
    tag: 'outbound-webhooks',
    summary: 'Delete an outbound webhook and its delivery log',
    params: hookParams,
    status: 204,
  })
  async delete(@OrgCtx() ctx: OrgContext, @Valid('params') params: HookParams) {
    await this.hooks.delete(ctx, params.hookId);
  }

  @Post(':hookId/test')
  @Permission('hooks:write')
  @Api({
    tag: 'outbound-webhooks',
    summary: 'Send a test delivery (a `ping` event)',
    params: hookParams,
    response: deliveryView,
    status: 202,
  })
  test(@OrgCtx() ctx: OrgContext, @Valid('params') params: HookParams) {
    return this.hooks.test(ctx, params.hookId);
  }

  @Get(':hookId/deliveries')
  @Permission('hooks:read')
  @Api({
    tag: 'outbound-webhooks',
    summary: "List a webhook's deliveries, newest first",
    params: hookParams,
    query: pageQuery,
    response: deliveryPage,
  })
  deliveries(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') params: HookParams,
    @Valid('query') query: PageQuery,
  ) {
    return this.hooks.deliveries(ctx, params.hookId, query);
  }

  @Get(':hookId/deliveries/:deliveryId')
  @Permission('hooks:read')
  @Api({
    tag: 'outbound-webhooks',
    summary: 'Get a delivery with its body and the (truncated) response',
    params: hookDeliveryParams,
    response: deliveryDetail,
  })
  delivery(@OrgCtx() ctx: OrgContext, @Valid('params') params: DeliveryParams) {
    return this.hooks.delivery(ctx, params.hookId, params.deliveryId);
  }

  @Post(':hookId/deliveries/:deliveryId/redeliver')
  @Permission('hooks:write')
  @Api({
    tag: 'outbound-webhooks',
    summary: 'Send a delivery again (same body and event id, new delivery)',
    params: hookDeliveryParams,
    response: deliveryView,
    status: 202,
  })
  redeliver(@OrgCtx() ctx: OrgContext, @Valid('params') params: DeliveryParams) {
    return this.hooks.redeliver(ctx, params.hookId, params.deliveryId);
  }
}
