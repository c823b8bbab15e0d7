/**
 * The periodic reconciler: converges desired (database) and observed (driver) state, so a lost
 * job, a killed worker or a crashed instance heals without anyone noticing. Every tick it
 * enqueues `reconcile-<orgId>` for each instance row (deduplicated by BullMQ while one is
 * pending) and removes driver instances that no longer have a row (deleted organisations).
 */
import type { Queue } from 'bullmq';
import type { Database } from '@switchyard/db';
import type { Logger } from 'pino';
import type { InstanceDriver } from './instance-driver.js';
import type { ProvisioningJob, ProvisioningJobName } from './provisioning.queue.js';

/** Periodic convergence. */
export class Reconciler {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly queue: Queue<ProvisioningJob, unknown, ProvisioningJobName>,
    private readonly driver: InstanceDriver,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  /** Runs one pass now, then every interval. */
  start(): void {
    const tick = () => {
      this.#running = this.runOnce().catch((e: unknown) =>
        this.logger.warn({ err: e }, 'reconcile pass failed'),
      );
    };
    tick();
    this.#timer = setInterval(tick, this.intervalMs);
  }

  async runOnce(): Promise<void> {
    const rows = await this.db.instance.findMany({ select: { id: true, orgId: true } });
    const known = new Set(rows.map((r) => r.id));
    for (const r of rows)
      await this.queue.add('reconcile', { orgId: r.orgId }, { jobId: `reconcile-${r.orgId}` });
    for (const orphan of (await this.driver.list()).filter((i) => !known.has(i.instanceId))) {
      this.logger.info(
        { instance: orphan.instanceId, org: orphan.orgId },
        'removing instance of a deleted organisation',
      );
      await this.driver.remove(orphan.instanceId);
    }
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }
}
