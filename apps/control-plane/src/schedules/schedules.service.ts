import { Inject, Injectable } from '@nestjs/common';
import { withTransaction, type Database, type Prisma, type ScheduledChange } from '@switchyard/db';
import { edits, errors } from '@switchyard/flags';
import { staleConflict } from '@switchyard/git-store';
import type { AuditAction } from '../audit/audit-actions.js';
import { AuditService } from '../audit/audit.service.js';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { DB } from '../common/tokens.js';
import { ScheduleEvents, type ScheduleEventKind } from '../events/schedule-events.js';
import { EnvironmentReader } from '../flags/environment-reader.service.js';
import { FlagCommitter, parseIfMatch } from '../flags/flag-committer.service.js';
import type { OpenedEnvironment } from '../git-hosting/environment-store.service.js';
import { readProposal } from '../git-hosting/proposal-meta.js';
import { PromotionService, promotionSubject } from '../promotion/promotion.service.js';
import { ProposalsService } from '../proposals/proposals.service.js';
import { ScheduleQueue } from './schedule.queue.js';
import { scheduleView } from './schedule-view.js';
import type { CreateScheduleBody, ListSchedulesQuery, ScheduleView } from './schedules.dto.js';

type EditBody = Exclude<CreateScheduleBody, { kind: 'proposal' }>;
type ProposalBody = Extract<CreateScheduleBody, { kind: 'proposal' }>;
/** The row to insert, as checked against the environment now. */
type Prepared = Pick<
  Prisma.ScheduledChangeUncheckedCreateInput,
  | 'kind'
  | 'namespace'
  | 'flagKey'
  | 'payload'
  | 'baseRevision'
  | 'proposalId'
  | 'summary'
  | 'status'
>;

/**
 * Scheduled changes: an edit, a promotion or a proposal's merge, reviewed now and applied by the
 * worker at a time (schedule-applier.ts). Everything that can be checked at scheduling time is (the
 * edit applies and validates on the reviewed revision, the proposal is open and unchanged), so bad
 * input is a 4xx now rather than a failure later. Protected environments take only proposals, and
 * those need another member's approval before they become due.
 */
@Injectable()
export class SchedulesService {
  constructor(
    @Inject(DB) private readonly db: Database,
    private readonly reader: EnvironmentReader,
    private readonly writer: FlagCommitter,
    private readonly promotion: PromotionService,
    private readonly proposals: ProposalsService,
    private readonly audit: AuditService,
    private readonly queue: ScheduleQueue,
    private readonly events: ScheduleEvents,
  ) {}

  async create(
    ctx: OrgContext,
    envKey: string,
    ifMatch: string | undefined,
    body: CreateScheduleBody,
  ): Promise<ScheduleView> {
    requirePermission(ctx, 'flags:write');
    const base = parseIfMatch(ifMatch);
    const opened = await this.reader.open(ctx, envKey, 'flags:write');
    const prepared =
      body.kind === 'proposal'
        ? await this.prepareProposal(opened, body, base)
        : await this.prepareEdit(ctx, opened, body, base);
    const row = await withTransaction(this.db, async (tx) => {
      const created = await tx.scheduledChange.create({
        data: {
          ...prepared,
          orgId: ctx.org.id,
          environmentId: opened.env.id,
          runAt: new Date(body.at),
          createdById: ctx.principal.userId,
          createdByEmail: ctx.principal.email,
        },
      });
      await this.record(tx, ctx, created, envKey, 'schedule.create');
      return created;
    });
    this.announce('schedule.created', row, envKey);
    if (row.status === 'PENDING') await this.queue.enqueue(row.id, row.runAt);
    return scheduleView(row, envKey);
  }

  async list(
    ctx: OrgContext,
    envKey: string,
    q: ListSchedulesQuery,
  ): Promise<{ items: ScheduleView[] }> {
    requirePermission(ctx, 'flags:read');
    const env = await this.environment(ctx, envKey);
    if (q.flag !== undefined && q.namespace === undefined)
      throw errors.invalidArgument('flag needs namespace', [
        { path: 'query.namespace', message: 'required with flag' },
      ]);
    const rows = await this.db.scheduledChange.findMany({
      where: {
        environmentId: env.id,
        ...(q.namespace !== undefined ? { namespace: q.namespace } : {}),
        ...(q.flag !== undefined ? { flagKey: q.flag } : {}),
        ...(q.status !== undefined
          ? { status: q.status.toUpperCase() as ScheduledChange['status'] }
          : {}),
      },
      orderBy: [{ runAt: 'asc' }, { id: 'asc' }],
      take: 500,
    });
    return { items: rows.map((r) => scheduleView(r, envKey)) };
  }

  async get(ctx: OrgContext, envKey: string, id: string): Promise<ScheduleView> {
    requirePermission(ctx, 'flags:read');
    const env = await this.environment(ctx, envKey);
    return scheduleView(await this.find(env.id, id), envKey);
  }

  /** Cancels a change that has not started; audited. FailedPrecondition once it ran or runs. */
  async cancel(ctx: OrgContext, envKey: string, id: string): Promise<ScheduleView> {
    requirePermission(ctx, 'flags:write');
    const env = await this.environment(ctx, envKey);
    const row = await withTransaction(this.db, async (tx) => {
      const { count } = await tx.scheduledChange.updateMany({
        where: { id, environmentId: env.id, status: { in: ['PENDING', 'AWAITING_APPROVAL'] } },
        data: {
          status: 'CANCELLED',
          cancelledByEmail: ctx.principal.email,
          finishedAt: new Date(),
        },
      });
      const now = await tx.scheduledChange.findFirst({ where: { id, environmentId: env.id } });
      if (!now) throw errors.notFound('scheduled change not found');
      if (count === 0)
        throw errors.failedPrecondition(
          `the change is ${now.status.toLowerCase().replace('_', ' ')}: only pending changes and changes awaiting approval can be cancelled`,
        );
      await this.record(tx, ctx, now, envKey, 'schedule.cancel');
      return now;
    });
    await this.queue.remove(row.id);
    this.announce('schedule.cancelled', row, envKey);
    return scheduleView(row, envKey);
  }

  /**
   * Approves a scheduled proposal merge as reviewed (If-Match: the proposal revision, which must
   * still be the one scheduled). Same rules as approving a proposal: another member than whoever
   * scheduled it, opened the proposal or authored its changes. The change becomes pending.
   */
  async approve(
    ctx: OrgContext,
    envKey: string,
    id: string,
    ifMatch: string | undefined,
  ): Promise<ScheduleView> {
    requirePermission(ctx, 'proposals:approve');
    const reviewed = parseIfMatch(ifMatch);
    const opened = await this.reader.open(ctx, envKey, 'proposals:approve');
    const row = await this.find(opened.env.id, id);
    if (row.status !== 'AWAITING_APPROVAL' || row.proposalId === null)
      throw errors.failedPrecondition(
        `the change is ${row.status.toLowerCase().replace('_', ' ')}: only changes awaiting approval can be approved`,
      );
    if (row.runAt.getTime() <= Date.now())
      throw errors.failedPrecondition(
        'its time has passed while it awaited approval: cancel it and schedule it again',
      );
    const found = await readProposal(opened.store, row.proposalId);
    if (!found || found.record.status !== 'open')
      throw errors.failedPrecondition('the proposal is no longer open: cancel this schedule');
    await this.proposals.checkReviewed(opened, found.record, reviewed);
    if (reviewed !== row.baseRevision)
      throw errors.conflict(
        'the proposal changed since it was scheduled: cancel this schedule and schedule the proposal again',
        { revision: reviewed },
      );
    if (row.createdById === ctx.principal.userId)
      throw errors.permissionDenied('you scheduled this change: another member must approve it');
    await this.proposals.refuseAuthors(ctx, opened, found.record, reviewed);
    const approved = await withTransaction(this.db, async (tx) => {
      const { count } = await tx.scheduledChange.updateMany({
        where: { id, status: 'AWAITING_APPROVAL' },
        data: {
          status: 'PENDING',
          approvedById: ctx.principal.userId,
          approvedByEmail: ctx.principal.email,
          approvedAt: new Date(),
        },
      });
      if (count === 0) throw errors.conflict('the change was approved or cancelled meanwhile');
      const now = await tx.scheduledChange.findUniqueOrThrow({ where: { id } });
      await this.record(tx, ctx, now, envKey, 'schedule.approve');
      return now;
    });
    this.announce('schedule.approved', approved, envKey);
    await this.queue.enqueue(approved.id, approved.runAt);
    return scheduleView(approved, envKey);
  }

  /** A flag edit or a promotion: applied and validated on the reviewed revision now. */
  private async prepareEdit(
    ctx: OrgContext,
    opened: OpenedEnvironment,
    body: EditBody,
    base: string,
  ): Promise<Prepared> {
    if (opened.env.protected)
      throw errors.failedPrecondition(
        `environment "${opened.env.key}" is protected: open a proposal with the change and schedule the proposal (kind "proposal")`,
      );
    if (base !== opened.head) throw staleConflict(opened.head);
    if (body.kind === 'flag') {
      const { namespace: ns, flag: key, document } = body;
      if (document !== null && document.key !== key)
        throw errors.invalidArgument('the document names another flag', [
          { path: 'body.document.key', message: 'must equal body.flag' },
        ]);
      const p = await this.writer.preview(ctx, opened.env.key, (ws) =>
        document === null ? edits.deleteFlag(ws, ns, key) : void edits.putFlag(ws, ns, document),
      );
      if (p.changes.size === 0)
        throw errors.failedPrecondition('nothing to schedule: the flag is already like this');
      return {
        kind: 'flag',
        namespace: ns,
        flagKey: key,
        payload: { document } as Prisma.InputJsonObject,
        baseRevision: base,
        summary: body.message ?? `${document === null ? 'Delete' : 'Update'} flag ${ns}/${key}`,
        status: 'PENDING',
      };
    }
    const promo = body.promotion;
    const preview = await this.promotion.preview(ctx, opened.env.key, promo);
    if (preview.files.length === 0)
      throw errors.failedPrecondition('nothing to schedule: the promotion changes nothing now');
    return {
      kind: 'promotion',
      namespace: promo.namespace ?? null,
      flagKey: promo.flag ?? null,
      payload: {
        promotion: promo,
        sourceRevision: preview.sourceRevision,
      } as Prisma.InputJsonObject,
      baseRevision: base,
      summary: body.message ?? `Promote ${promotionSubject(promo)} from ${promo.source}`,
      status: 'PENDING',
    };
  }

  /** A proposal's merge: open, with changes, at the revision reviewed; awaits approval. */
  private async prepareProposal(
    opened: OpenedEnvironment,
    body: ProposalBody,
    reviewed: string,
  ): Promise<Prepared> {
    const found = await readProposal(opened.store, body.proposal);
    if (!found) throw errors.notFound('proposal not found');
    if (found.record.status !== 'open')
      throw errors.failedPrecondition('the proposal is already merged');
    await this.proposals.checkReviewed(opened, found.record, reviewed);
    return {
      kind: 'proposal',
      proposalId: found.record.id,
      payload: { proposal: found.record.id, title: found.record.title },
      baseRevision: reviewed,
      summary: `Merge proposal "${found.record.title}"`,
      status: 'AWAITING_APPROVAL',
    };
  }

  private async environment(ctx: OrgContext, envKey: string) {
    const env = await this.db.environment.findUnique({
      where: { orgId_key: { orgId: ctx.org.id, key: envKey } },
      select: { id: true },
    });
    if (!env) throw errors.notFound('environment not found');
    return env;
  }

  private async find(environmentId: string, id: string): Promise<ScheduledChange> {
    const row = await this.db.scheduledChange.findFirst({ where: { id, environmentId } });
    if (!row) throw errors.notFound('scheduled change not found');
    return row;
  }

  private record(
    tx: Prisma.TransactionClient,
    ctx: OrgContext,
    row: ScheduledChange,
    envKey: string,
    action: AuditAction,
  ): Promise<void> {
    return this.audit.record(tx, ctx, {
      orgId: ctx.org.id,
      action,
      targetType: 'scheduled_change',
      targetId: row.id,
      after: {
        environment: envKey,
        kind: row.kind,
        summary: row.summary,
        runAt: row.runAt.toISOString(),
        status: row.status.toLowerCase(),
        ...(row.namespace ? { namespace: row.namespace } : {}),
        ...(row.flagKey ? { flag: row.flagKey } : {}),
      },
    });
  }

  private announce(kind: ScheduleEventKind, row: ScheduledChange, envKey: string): void {
    this.events.emit({
      kind,
      orgId: row.orgId,
      envKey,
      scheduleId: row.id,
      changeKind: row.kind,
      namespace: row.namespace ?? undefined,
      flag: row.flagKey ?? undefined,
      runAt: row.runAt.toISOString(),
      createdBy: row.createdByEmail,
    });
  }
}
