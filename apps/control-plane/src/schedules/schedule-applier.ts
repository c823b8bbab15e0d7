import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { withTransaction, type Database, type ScheduledChange } from '@switchyard/db';
import { isSwitchyardError, type ErrorCode } from '@switchyard/flags';
import type { Logger } from 'pino';
import type { AuditAction } from '../audit/audit-actions.js';
import { AuditService } from '../audit/audit.service.js';
import { CONFIG, DB, LOGGER } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { ScheduleEvents } from '../events/schedule-events.js';
import { ScheduleRunner } from './schedule-runner.js';

/** Errors that mean "this change no longer applies" (failed for good), not "try again". */
const PERMANENT: readonly ErrorCode[] = [
  'Conflict',
  'InvalidArgument',
  'FailedPrecondition',
  'NotFound',
  'PermissionDenied',
];
/** Runs of one change that may end in a transient error before it is failed. */
export const MAX_ATTEMPTS = 5;

/** What one run did. */
export type RunOutcome =
  | { outcome: 'applied'; revision: string }
  | { outcome: 'failed'; reason: string }
  /** Not claimed: not due yet (`dueInMs`), already claimed, finished or cancelled. */
  | { outcome: 'skipped'; dueInMs?: number };

/**
 * Runs scheduled changes exactly once across any number of workers. The database row is the
 * truth: a worker claims a change with one conditional UPDATE (`pending` and due → `applying`,
 * stamped with the worker and the time), which Postgres serialises on the row, so one worker wins;
 * the winner applies it (one commit, found again by its trailer if the worker died after
 * committing) and records `applied` or `failed` with the audit event in one transaction, then
 * notifies. A claim older than SCHEDULER_LEASE_MS (its worker died) is taken over.
 */
@Injectable()
export class ScheduleApplier {
  /** This worker's name in `claimedBy`. */
  readonly workerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;

  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly runner: ScheduleRunner,
    private readonly audit: AuditService,
    private readonly events: ScheduleEvents,
  ) {}

  /** Claims and runs change `id` if it is due and unclaimed (or its claim expired). */
  async run(id: string): Promise<RunOutcome> {
    const row = await this.claim(id);
    if (!row) {
      const now = await this.db.scheduledChange.findUnique({ where: { id } });
      return now?.status === 'PENDING'
        ? { outcome: 'skipped', dueInMs: Math.max(0, now.runAt.getTime() - Date.now()) }
        : { outcome: 'skipped' };
    }
    let revision: string;
    try {
      revision = await this.runner.apply(row);
    } catch (e) {
      if (isSwitchyardError(e) && PERMANENT.includes(e.code)) {
        await this.finish(row, { failureReason: e.message });
        return { outcome: 'failed', reason: e.message };
      }
      await this.release(row, e);
      throw e;
    }
    await this.finish(row, { appliedRevision: revision });
    return { outcome: 'applied', revision };
  }

  /** Changes due now that no live worker holds (for the sweep). */
  async due(limit = 100): Promise<string[]> {
    const now = Date.now();
    const rows = await this.db.scheduledChange.findMany({
      where: {
        OR: [
          { status: 'PENDING', runAt: { lte: new Date(now) } },
          { status: 'APPLYING', claimedAt: { lt: new Date(now - this.config.scheduler.leaseMs) } },
        ],
      },
      select: { id: true },
      orderBy: { runAt: 'asc' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  /** The state transition that makes this worker the only one running the change. */
  private async claim(id: string): Promise<ScheduledChange | null> {
    const now = new Date();
    const { count } = await this.db.scheduledChange.updateMany({
      where: {
        id,
        OR: [
          { status: 'PENDING', runAt: { lte: now } },
          {
            status: 'APPLYING',
            claimedAt: { lt: new Date(now.getTime() - this.config.scheduler.leaseMs) },
          },
        ],
      },
      data: {
        status: 'APPLYING',
        claimedBy: this.workerId,
        claimedAt: now,
        attempts: { increment: 1 },
      },
    });
    if (count === 0) return null;
    return this.db.scheduledChange.findUnique({ where: { id } });
  }

  /** Records the outcome with its audit event, if this worker still holds the claim. */
  private async finish(
    row: ScheduledChange,
    result: { appliedRevision: string } | { failureReason: string },
  ): Promise<void> {
    const applied = 'appliedRevision' in result;
    const env = await this.db.environment.findUnique({ where: { id: row.environmentId } });
    const envKey = env?.key ?? '';
    const recorded = await withTransaction(this.db, async (tx) => {
      const { count } = await tx.scheduledChange.updateMany({
        where: { id: row.id, status: 'APPLYING', claimedBy: this.workerId },
        data: { status: applied ? 'APPLIED' : 'FAILED', finishedAt: new Date(), ...result },
      });
      if (count === 0) return false;
      const action: AuditAction = applied ? 'schedule.apply' : 'schedule.fail';
      await this.audit.record(
        tx,
        {
          principal: { userId: row.createdById, email: row.createdByEmail, via: 'system' },
          requestId: `schedule-${row.id}`,
        },
        {
          orgId: row.orgId,
          action,
          targetType: 'scheduled_change',
          targetId: row.id,
          before: { status: 'applying' },
          after: {
            environment: envKey,
            kind: row.kind,
            summary: row.summary,
            status: applied ? 'applied' : 'failed',
            by: 'scheduler',
            ...result,
          },
        },
      );
      return true;
    });
    if (!recorded) {
      // Another worker took the change over (this one was too slow): it finds the commit by its trailer.
      this.logger.warn({ schedule: row.id }, 'scheduled change claim lost before recording it');
      return;
    }
    this.logger.info(
      { schedule: row.id, env: envKey, ...result },
      applied ? 'scheduled change applied' : 'scheduled change failed',
    );
    this.events.emit({
      kind: applied ? 'schedule.applied' : 'schedule.failed',
      orgId: row.orgId,
      envKey,
      scheduleId: row.id,
      changeKind: row.kind,
      namespace: row.namespace ?? undefined,
      flag: row.flagKey ?? undefined,
      runAt: row.runAt.toISOString(),
      revision: applied ? result.appliedRevision : undefined,
      reason: applied ? undefined : result.failureReason,
      createdBy: row.createdByEmail,
    });
  }

  /** A transient failure: back to pending for the next try, or failed after too many. */
  private async release(row: ScheduledChange, e: unknown): Promise<void> {
    const message = e instanceof Error ? e.message : String(e);
    this.logger.warn(
      { err: e, schedule: row.id, attempts: row.attempts },
      'scheduled change run failed',
    );
    if (row.attempts >= MAX_ATTEMPTS) {
      await this.finish(row, {
        failureReason: `could not be applied after ${row.attempts} attempts (${isSwitchyardError(e) ? message : 'internal error'})`,
      });
      return;
    }
    await this.db.scheduledChange.updateMany({
      where: { id: row.id, status: 'APPLYING', claimedBy: this.workerId },
      data: { status: 'PENDING', claimedBy: null, claimedAt: null },
    });
  }
}
