/**
 * Records an instance's status reports: the revision each environment serves and its last sync
 * error go to `observedState`; a ready instance with a failing environment becomes degraded and
 * recovers when the error clears. Provisioning states (pending, provisioning, deleting, failed)
 * belong to the worker and are never changed here (nor is sleeping: the worker wakes it). The
 * instance's last served request goes to `lastActiveAt`, the clock of idle sleep. A report whose process start time differs
 * from the previous one counts as a restart (whoever restarted it: the local supervisor,
 * Kubernetes or an operator).
 */
import { Inject, Injectable } from '@nestjs/common';
import type {
  EnvironmentStatus__Output,
  StatusReport__Output,
  SyncError__Output,
} from '@switchyard/contracts';
import type { Database } from '@switchyard/db';
import { DB } from '../common/tokens.js';
import {
  parseDescribedError,
  readObservedState,
  type ObservedState,
  type StoredSyncError,
} from './observed-state.js';

export type { ObservedState } from './observed-state.js';

const isoOrNull = (ms: number | string | undefined): string | null =>
  Number(ms) > 0 ? new Date(Number(ms)).toISOString() : null;

function stored(e: SyncError__Output): StoredSyncError {
  return {
    message: e.message,
    revision: e.revision || null,
    file: e.file || null,
    line: e.line > 0 ? e.line : null,
    column: e.column > 0 ? e.column : null,
    at: isoOrNull(e.atMs),
  };
}

/** Most warnings kept per environment (the instance sends at most as many). */
const MAX_WARNINGS = 50;

function syncError(e: EnvironmentStatus__Output): StoredSyncError | null {
  if (e.error && e.error.message) return stored(e.error);
  // Instances that predate the structured field only send the text.
  return e.lastError ? parseDescribedError(e.lastError) : null;
}

/** Stores status reports. */
@Injectable()
export class InstanceStatusService {
  constructor(@Inject(DB) private readonly db: Database) {}

  async record(instanceId: string, report: StatusReport__Output, peerHost: string): Promise<void> {
    const environments = report.environments.map((e) => ({
      key: e.key,
      revision: e.revision || null,
      ready: e.ready,
      lastError: e.lastError || null,
      error: syncError(e),
      lastSyncAt: isoOrNull(e.lastSyncAtMs),
      warnings: (e.warnings ?? [])
        .filter((w) => w.message)
        .slice(0, MAX_WARNINGS)
        .map(stored),
    }));
    const row = await this.db.instance.findUnique({
      where: { id: instanceId },
      select: { status: true, observedState: true },
    });
    const previous = readObservedState(row?.observedState);
    const startedAt = isoOrNull(report.startedAtMs);
    const restarts =
      startedAt === null
        ? null
        : previous?.startedAt && previous.startedAt !== startedAt
          ? (previous.restarts ?? 0) + 1
          : (previous?.restarts ?? 0);
    const observed: ObservedState = {
      environments,
      configVersion: report.configVersion,
      httpPort: report.httpPort,
      grpcPort: report.grpcPort,
      grpcAddress: report.grpcPort ? `${peerHost}:${report.grpcPort}` : null,
      startedAt,
      restarts,
    };
    const failing = environments.some((e) => e.lastError !== null);
    const status =
      row?.status === 'ready' || row?.status === 'degraded'
        ? failing
          ? 'degraded'
          : 'ready'
        : undefined;
    await this.db.instance.update({
      where: { id: instanceId },
      data: {
        observedState: observed,
        reportedAt: new Date(),
        ...(Number(report.lastActiveAtMs) > 0
          ? { lastActiveAt: new Date(Number(report.lastActiveAtMs)) }
          : {}),
        ...(status
          ? {
              status,
              lastError: failing ? environments.find((e) => e.lastError)!.lastError : null,
            }
          : {}),
      },
    });
  }
}
