/**
 * Records an instance's status reports: the revision each environment serves and its last sync
 * error go to `observedState`; a ready instance with a failing environment becomes degraded and
 * recovers when the error clears. Provisioning states (pending, provisioning, deleting, failed)
 * belong to the worker and are never changed here.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@switchyard/db';
import { DB } from '../common/tokens.js';

/** One StatusReport message. */
export interface StatusReportMessage {
  environments: Array<{ key: string; revision: string; ready: boolean; lastError: string; lastSyncAtMs: number | string }>;
  configVersion: string;
  httpPort: number;
  grpcPort: number;
}

/** Observed state of an instance as stored (a type alias: Prisma's JSON input needs the implicit index signature). */
export type ObservedState = {
  environments: Array<{ key: string; revision: string | null; ready: boolean; lastError: string | null; lastSyncAt: string | null }>;
  configVersion: string;
  httpPort: number;
  grpcPort: number;
  grpcAddress: string | null;
};

/** Stores status reports. */
@Injectable()
export class InstanceStatusService {
  constructor(@Inject(DB) private readonly db: Database) {}

  async record(instanceId: string, report: StatusReportMessage, peerHost: string): Promise<void> {
    const environments = report.environments.map((e) => ({
      key: e.key,
      revision: e.revision || null,
      ready: e.ready,
      lastError: e.lastError || null,
      lastSyncAt: Number(e.lastSyncAtMs) > 0 ? new Date(Number(e.lastSyncAtMs)).toISOString() : null,
    }));
    const observed: ObservedState = {
      environments,
      configVersion: report.configVersion,
      httpPort: report.httpPort,
      grpcPort: report.grpcPort,
      grpcAddress: report.grpcPort ? `${peerHost}:${report.grpcPort}` : null,
    };
    const failing = environments.some((e) => e.lastError !== null);
    const row = await this.db.instance.findUnique({ where: { id: instanceId }, select: { status: true } });
    const status = row?.status === 'ready' || row?.status === 'degraded' ? (failing ? 'degraded' : 'ready') : undefined;
    await this.db.instance.update({
      where: { id: instanceId },
      data: { observedState: observed, reportedAt: new Date(), ...(status ? { status, lastError: failing ? environments.find((e) => e.lastError)!.lastError : null } : {}) },
    });
  }
}
