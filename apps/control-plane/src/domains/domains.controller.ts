import { Controller, Delete, Get, Post } from '@nestjs/common';
import type { OrgContext } from '../common/request-context.js';
import { Api, Idempotent, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { orgParams } from '../orgs/orgs.dto.js';
import {
  createDomainBody,
  domainList,
  domainParams,
  domainView,
  type CreateDomainBody,
} from './domains.dto.js';
import { DomainsService } from './domains.service.js';

/** Organisation domains, verified by a DNS TXT record. */
@Controller('api/v1/orgs/:org/domains')
export class DomainsController {
  constructor(private readonly domains: DomainsService) {}

  @Get()
  @Permission('org:read')
  @Api({
    tag: 'domains',
    summary: 'List the organisation’s domains and their verification records',
    params: orgParams,
    response: domainList,
  })
  list(@OrgCtx() ctx: OrgContext) {
    return this.domains.list(ctx);
  }

  @Post()
  @Permission('org:write')
  @Idempotent()
  @Api({
    tag: 'domains',
    summary: 'Register a domain: answers the TXT record to publish before verifying',
    params: orgParams,
    body: createDomainBody,
    response: domainView,
    status: 201,
  })
  create(@OrgCtx() ctx: OrgContext, @Valid('body') body: CreateDomainBody) {
    return this.domains.create(ctx, body);
  }

  @Get(':domainId')
  @Permission('org:read')
  @Api({ tag: 'domains', summary: 'Get a domain', params: domainParams, response: domainView })
  get(@OrgCtx() ctx: OrgContext, @Valid('params') params: { domainId: string }) {
    return this.domains.get(ctx, params.domainId);
  }

  @Post(':domainId/verify')
  @Permission('org:write')
  @Api({
    tag: 'domains',
    summary:
      'Check the TXT record now (412 when absent, 409 when another organisation holds the domain)',
    params: domainParams,
    response: domainView,
  })
  verify(@OrgCtx() ctx: OrgContext, @Valid('params') params: { domainId: string }) {
    return this.domains.verify(ctx, params.domainId);
  }

  @Delete(':domainId')
  @Permission('org:write')
  @Api({
    tag: 'domains',
    summary: 'Delete a domain (its SSO connections stop creating and linking accounts for it)',
    params: domainParams,
    status: 204,
  })
  async delete(@OrgCtx() ctx: OrgContext, @Valid('params') params: { domainId: string }) {
    await this.domains.delete(ctx, params.domainId);
  }
}
