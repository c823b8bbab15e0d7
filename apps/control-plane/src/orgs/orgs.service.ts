import { Inject, Injectable } from '@nestjs/common';
import { withTransaction, type Database, type Organisation, type Role } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { AuditService } from '../audit/audit.service.js';
import { pageArgs, toPage, type Page, type PageQuery } from '../common/pagination.js';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext, RequestContext } from '../common/request-context.js';
import { DB } from '../common/tokens.js';
import type { CreateOrgBody, DeleteOrgBody, OrgView, RenameOrgBody } from './orgs.dto.js';

function view(org: Organisation, role: Role): OrgView {
  return {
    id: org.id,
    slug: org.slug,
    name: org.name,
    role,
    createdAt: org.createdAt.toISOString(),
    updatedAt: org.updatedAt.toISOString(),
  };
}

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'P2002';
}

@Injectable()
export class OrgsService {
  constructor(
    @Inject(DB) private readonly db: Database,
    private readonly audit: AuditService,
  ) {}

  /**
   * Creates the organisation with the caller as OWNER, its (pending) instance and an outbox event
   * for the provisioner, all in one transaction.
   */
  async create(ctx: RequestContext, body: CreateOrgBody): Promise<OrgView> {
    try {
      const org = await withTransaction(this.db, async (tx) => {
        const created = await tx.organisation.create({
          data: { slug: body.slug, name: body.name },
        });
        await tx.membership.create({
          data: { orgId: created.id, userId: ctx.principal.userId, role: 'OWNER' },
        });
        await tx.instance.create({
          data: { orgId: created.id, desiredState: { environments: [] } },
        });
        await tx.outboxEvent.create({
          data: { orgId: created.id, topic: 'org.created', payload: { orgId: created.id } },
        });
        await this.audit.record(tx, ctx, {
          orgId: created.id,
          action: 'org.create',
          targetType: 'organisation',
          targetId: created.id,
          after: { slug: created.slug, name: created.name },
        });
        return created;
      });
      return view(org, 'OWNER');
    } catch (e) {
      if (isUniqueViolation(e))
        throw errors.alreadyExists(`organisation "${body.slug}" already exists`);
      throw e;
    }
  }

  /** Organisations the caller is a member of. */
  async listMine(ctx: RequestContext, query: PageQuery): Promise<Page<OrgView>> {
    const page = pageArgs(query);
    const rows = await this.db.organisation.findMany({
      ...page,
      where: { ...page.where, memberships: { some: { userId: ctx.principal.userId } } },
      include: { memberships: { where: { userId: ctx.principal.userId } } },
    });
    return toPage(rows, query.limit, (o) => view(o, o.memberships[0]!.role));
  }

  async get(ctx: OrgContext): Promise<OrgView> {
    requirePermission(ctx, 'org:read');
    const org = await this.db.organisation.findUnique({ where: { id: ctx.org.id } });
    if (!org) throw errors.notFound('organisation not found');
    return view(org, ctx.org.role);
  }

  async rename(ctx: OrgContext, body: RenameOrgBody): Promise<OrgView> {
    requirePermission(ctx, 'org:write');
    const org = await withTransaction(this.db, async (tx) => {
      const before = await tx.organisation.findUniqueOrThrow({ where: { id: ctx.org.id } });
      const after = await tx.organisation.update({
        where: { id: ctx.org.id },
        data: { name: body.name },
      });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'org.rename',
        targetType: 'organisation',
        targetId: ctx.org.id,
        before: { name: before.name },
        after: { name: after.name },
      });
      return after;
    });
    return view(org, ctx.org.role);
  }

  /** Deletes the organisation and everything it owns; the body must repeat the slug. */
  async delete(ctx: OrgContext, body: DeleteOrgBody): Promise<void> {
    requirePermission(ctx, 'org:delete');
    if (body.confirm !== ctx.org.slug) {
      throw errors.invalidArgument('confirmation does not match', [
        { path: 'body.confirm', message: `must be "${ctx.org.slug}"` },
      ]);
    }
    await withTransaction(this.db, async (tx) => {
      const before = await tx.organisation.findUniqueOrThrow({ where: { id: ctx.org.id } });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'org.delete',
        targetType: 'organisation',
        targetId: ctx.org.id,
        before: { slug: before.slug, name: before.name },
      });
      await tx.outboxEvent.create({
        data: {
          orgId: ctx.org.id,
          topic: 'org.deleted',
          payload: { orgId: ctx.org.id, slug: before.slug },
        },
      });
      await tx.organisation.delete({ where: { id: ctx.org.id } });
    });
  }
}
