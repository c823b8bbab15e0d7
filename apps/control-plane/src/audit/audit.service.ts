import { Inject, Injectable } from '@nestjs/common';
import type { Database, Prisma, Tx } from '@switchyard/db';
import { pageArgs, toPage, type Page, type PageQuery } from '../common/pagination.js';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext, RequestContext } from '../common/request-context.js';
import { DB } from '../common/tokens.js';
import type { AuditAction } from './audit-actions.js';
import type { AuditEventView, AuditQuery } from './audit.dto.js';

/** One mutation to record. `before`/`after` must hold no secret (they are stored as JSON). */
export interface AuditEntry {
  orgId: string | null;
  action: AuditAction;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
}

function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  return value === undefined || value === null
    ? undefined
    : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);
}

/** The audit trail: written inside the mutation's own transaction, so no change goes unrecorded. */
@Injectable()
export class AuditService {
  constructor(@Inject(DB) private readonly db: Database) {}

  /** Appends an event in `tx` (the same transaction as the change it describes). */
  async record(tx: Tx, ctx: RequestContext, entry: AuditEntry): Promise<void> {
    const before = toJson(entry.before);
    const after = toJson(entry.after);
    await tx.auditEvent.create({
      data: {
        orgId: entry.orgId,
        actorType: `user:${ctx.principal.via}`,
        actorId: ctx.principal.userId,
        actorLabel: ctx.principal.email,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        requestId: ctx.requestId,
        ...(before !== undefined ? { before } : {}),
        ...(after !== undefined ? { after } : {}),
      },
    });
  }

  /** An organisation's trail, newest first; filters combine with AND. */
  async list(ctx: OrgContext, query: AuditQuery & PageQuery): Promise<Page<AuditEventView>> {
    requirePermission(ctx, 'audit:read');
    if (!query.environment) return this.find({ orgId: ctx.org.id }, query);
    // An environment's trail: the commits made in it (their `after` names it) and the events
    // about the environment itself (created, changed, deleted).
    const env = await this.db.environment.findFirst({
      where: { orgId: ctx.org.id, key: query.environment },
      select: { id: true },
    });
    return this.find(
      {
        orgId: ctx.org.id,
        OR: [
          { after: { path: ['environment'], equals: query.environment } },
          ...(env ? [{ targetType: 'environment', targetId: env.id }] : []),
        ],
      },
      query,
    );
  }

  /** The caller's own account events (tokens, sessions), which belong to no organisation. */
  async listMine(
    ctx: RequestContext,
    query: AuditQuery & PageQuery,
  ): Promise<Page<AuditEventView>> {
    return this.find(
      { orgId: null, actorId: ctx.principal.userId },
      { ...query, actor: undefined },
    );
  }

  private async find(
    scope: Prisma.AuditEventWhereInput,
    query: AuditQuery & PageQuery,
  ): Promise<Page<AuditEventView>> {
    const page = pageArgs(query, 'desc');
    const rows = await this.db.auditEvent.findMany({
      ...page,
      where: {
        ...page.where,
        ...scope,
        ...(query.action ? { action: query.action } : {}),
        ...(query.actor ? { actorId: query.actor } : {}),
        ...(query.targetType ? { targetType: query.targetType } : {}),
        ...(query.targetId ? { targetId: query.targetId } : {}),
        ...(query.since || query.until
          ? {
              createdAt: {
                ...(query.since ? { gte: new Date(query.since) } : {}),
                ...(query.until ? { lt: new Date(query.until) } : {}),
              },
            }
          : {}),
      },
    });
    return toPage(rows, query.limit, (r) => ({
      id: r.id,
      action: r.action,
      actor: { type: r.actorType, id: r.actorId, label: r.actorLabel },
      target: { type: r.targetType, id: r.targetId },
      before: r.before ?? null,
      after: r.after ?? null,
      requestId: r.requestId,
      time: r.createdAt.toISOString(),
    }));
  }
}
