import type { ScheduledChange } from '@switchyard/db';
import type { ScheduleStatus, ScheduleView } from './schedules.dto.js';

/** Maps a row to the API's view (never the Prisma type itself). */
export function scheduleView(row: ScheduledChange, envKey: string): ScheduleView {
  const iso = (d: Date | null) => (d === null ? null : d.toISOString());
  return {
    id: row.id,
    kind: row.kind as ScheduleView['kind'],
    environment: envKey,
    namespace: row.namespace,
    flag: row.flagKey,
    summary: row.summary,
    status: row.status.toLowerCase() as ScheduleStatus,
    runAt: row.runAt.toISOString(),
    baseRevision: row.baseRevision,
    proposalId: row.proposalId,
    createdBy: { userId: row.createdById, email: row.createdByEmail },
    createdAt: row.createdAt.toISOString(),
    approvedBy:
      row.approvedByEmail === null
        ? null
        : { userId: row.approvedById, email: row.approvedByEmail },
    approvedAt: iso(row.approvedAt),
    cancelledBy: row.cancelledByEmail,
    appliedRevision: row.appliedRevision,
    failureReason: row.failureReason,
    finishedAt: iso(row.finishedAt),
    change: (row.payload ?? {}) as Record<string, unknown>,
  };
}
