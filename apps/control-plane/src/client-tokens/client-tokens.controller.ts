import { Controller, Get, Post } from '@nestjs/common';
import { pageQuery, type PageQuery } from '../common/pagination.js';
import type { OrgContext } from '../common/request-context.js';
import { Api, Idempotent, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { orgParams } from '../orgs/orgs.dto.js';
import { RateLimited } from '../auth/auth-rate-limit.interceptor.js';
import {
  clientTokenPage,
  clientTokenParams,
  clientTokenView,
  createClientTokenBody,
  createdClientToken,
  type CreateClientTokenBody,
} from './client-tokens.dto.js';
import { ClientTokensService } from './client-tokens.service.js';

@Controller('api/v1/orgs/:org/client-tokens')
export class ClientTokensController {
  constructor(private readonly tokens: ClientTokensService) {}

  @Get()
  @Permission('tokens:read')
  @Api({
    tag: 'client-tokens',
    summary: 'List client tokens',
    params: orgParams,
    query: pageQuery,
    response: clientTokenPage,
  })
  list(@OrgCtx() ctx: OrgContext, @Valid('query') query: PageQuery) {
    return this.tokens.list(ctx, query);
  }

  @Post()
  @Permission('tokens:write')
  @Idempotent()
  @RateLimited('token')
  @Api({
    tag: 'client-tokens',
    summary: 'Create a client token (secret shown once)',
    params: orgParams,
    body: createClientTokenBody,
    response: createdClientToken,
    status: 201,
  })
  create(@OrgCtx() ctx: OrgContext, @Valid('body') body: CreateClientTokenBody) {
    return this.tokens.create(ctx, body);
  }

  @Get(':tokenId')
  @Permission('tokens:read')
  @Api({
    tag: 'client-tokens',
    summary: 'Get a client token',
    params: clientTokenParams,
    response: clientTokenView,
  })
  get(@OrgCtx() ctx: OrgContext, @Valid('params') params: { tokenId: string }) {
    return this.tokens.get(ctx, params.tokenId);
  }

  @Post(':tokenId/revoke')
  @Permission('tokens:write')
  @Api({
    tag: 'client-tokens',
    summary: 'Revoke a client token',
    params: clientTokenParams,
    response: clientTokenView,
  })
  revoke(@OrgCtx() ctx: OrgContext, @Valid('params') params: { tokenId: string }) {
    return this.tokens.revoke(ctx, params.tokenId);
  }
}
