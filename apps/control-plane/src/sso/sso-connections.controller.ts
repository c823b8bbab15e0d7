import { Controller, Delete, Get, Patch, Post } from '@nestjs/common';
import type { OrgContext } from '../common/request-context.js';
import { Api, Idempotent, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { orgParams } from '../orgs/orgs.dto.js';
import {
  connectionParams,
  createSsoConnectionBody,
  ssoConnectionList,
  ssoConnectionView,
  updateSsoConnectionBody,
  type CreateSsoConnectionBody,
  type UpdateSsoConnectionBody,
} from './sso-connections.dto.js';
import { SsoConnectionsService } from './sso-connections.service.js';

/** Per-organisation SSO connections, managed by org admins. */
@Controller('api/v1/orgs/:org/sso-connections')
export class SsoConnectionsController {
  constructor(private readonly connections: SsoConnectionsService) {}

  @Get()
  @Permission('org:write')
  @Api({
    tag: 'sso',
    summary: 'List the organisation’s SSO connections (secrets never returned)',
    params: orgParams,
    response: ssoConnectionList,
  })
  list(@OrgCtx() ctx: OrgContext) {
    return this.connections.list(ctx);
  }

  @Post()
  @Permission('org:write')
  @Idempotent()
  @Api({
    tag: 'sso',
    summary:
      'Create an SSO connection (discovery runs now; 400 when the issuer is unreachable or inconsistent)',
    params: orgParams,
    body: createSsoConnectionBody,
    response: ssoConnectionView,
    status: 201,
  })
  create(@OrgCtx() ctx: OrgContext, @Valid('body') body: CreateSsoConnectionBody) {
    return this.connections.create(ctx, body);
  }

  @Get(':connectionId')
  @Permission('org:write')
  @Api({
    tag: 'sso',
    summary: 'Get an SSO connection',
    params: connectionParams,
    response: ssoConnectionView,
  })
  get(@OrgCtx() ctx: OrgContext, @Valid('params') params: { connectionId: string }) {
    return this.connections.get(ctx, params.connectionId);
  }

  @Patch(':connectionId')
  @Permission('org:write')
  @Api({
    tag: 'sso',
    summary: 'Update an SSO connection (discovery re-runs when issuer or client change)',
    params: connectionParams,
    body: updateSsoConnectionBody,
    response: ssoConnectionView,
  })
  update(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') params: { connectionId: string },
    @Valid('body') body: UpdateSsoConnectionBody,
  ) {
    return this.connections.update(ctx, params.connectionId, body);
  }

  @Delete(':connectionId')
  @Permission('org:write')
  @Api({ tag: 'sso', summary: 'Delete an SSO connection', params: connectionParams, status: 204 })
  async delete(@OrgCtx() ctx: OrgContext, @Valid('params') params: { connectionId: string }) {
    await this.connections.delete(ctx, params.connectionId);
  }
}
