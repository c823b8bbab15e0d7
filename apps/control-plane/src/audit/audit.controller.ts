import { Controller, Get } from '@nestjs/common';
import { Api, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import type { OrgContext } from '../common/request-context.js';
import { orgParams } from '../orgs/orgs.dto.js';
import { auditPage, auditQuery, type AuditQuery } from './audit.dto.js';
import { AuditService } from './audit.service.js';
import type { PageQuery } from '../common/pagination.js';

@Controller('api/v1/orgs/:org/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Permission('audit:read')
  @Api({ tag: 'audit', summary: 'List audit events (newest first)', params: orgParams, query: auditQuery, response: auditPage })
  list(@OrgCtx() ctx: OrgContext, @Valid('query') query: AuditQuery & PageQuery) {
    return this.audit.list(ctx, query);
  }
}
