import { Controller, Get } from '@nestjs/common';
import { Api, Ctx, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import type { OrgContext, RequestContext } from '../common/request-context.js';
import { orgParams } from '../common/dto.js';
import { auditPage, auditQuery, type AuditQuery } from './audit.dto.js';
import { AuditService } from './audit.service.js';
import type { PageQuery } from '../common/pagination.js';

@Controller('api/v1')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('me/audit-events')
  @Permission('self')
  @Api({
    tag: 'audit',
    summary: 'My account events (tokens, sessions), newest first',
    query: auditQuery.omit({ actor: true }),
    response: auditPage,
  })
  listMine(@Ctx() ctx: RequestContext, @Valid('query') query: AuditQuery & PageQuery) {
    return this.audit.listMine(ctx, query);
  }

  @Get('orgs/:org/audit-events')
  @Permission('audit:read')
  @Api({
    tag: 'audit',
    summary: 'List audit events (newest first)',
    params: orgParams,
    query: auditQuery,
    response: auditPage,
  })
  list(@OrgCtx() ctx: OrgContext, @Valid('query') query: AuditQuery & PageQuery) {
    return this.audit.list(ctx, query);
  }
}
