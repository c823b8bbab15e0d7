/**
 * Outbox relay: moves provisioning intents from Postgres to BullMQ. A row is marked processed
 * only after `queue.add` succeeded, with jobId `outbox-<id>`; if Redis is down the add fails fast
 * and the row stays (attempts, lastError, availableAt pushed back with capped backoff), so no
 * intent is lost. A crash between add and mark re-adds the same jobId, which BullMQ ignores while
 * the job exists, and the consumer is idempotent anyway.
 */
import type { Queue } from 'bullmq';
import { backoffDelay, type BackoffPolicy } from '@switchyard/retry';
import type { Database } from '@switchyard/db';
import type { Logger } from 'pino';
import {
  jobNameFor,
  PROVISIONING_TOPICS,
  type ProvisioningJob,
  type ProvisioningJobName,
} from './provisioning.queue.js';

/** Delay before a failed row is tried again: 500 ms doubling to 5 s, jittered. */
const RELAY_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 5_000 };

/** Relays outbox rows in id (creation) order. */
export class OutboxRelay {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #stopped = false;

  constructor(
    private readonly db: Database,
    private readonly queue: Queue<ProvisioningJob, unknown, ProvisioningJobName>,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {}

  start(): void {
    const tick = () => {
      if (this.#stopped) return;
      this.#running = this.relayOnce().catch((e: unknown) => {
        this.logger.warn({ err: e }, 'outbox relay pass failed');
        return 0;
      });
      void this.#running.finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(tick, this.pollMs);
      });
    };
    tick();
  }

  /** One pass; returns how many rows were relayed. */
  async relayOnce(batch = 100): Promise<number> {
    const rows = await this.db.outboxEvent.findMany({
      where: {
        processedAt: null,
        availableAt: { lte: new Date() },
        topic: { in: PROVISIONING_TOPICS },
      },
      orderBy: { id: 'asc' },
      take: batch,
    });
    let relayed = 0;
    for (const row of rows) {
      const name = jobNameFor(row.topic)!;
      const orgId = row.orgId ?? (row.payload as { orgId?: string } | null)?.orgId;
      try {
        if (orgId)
          await this.queue.add(name, { orgId, outboxId: row.id }, { jobId: `outbox-${row.id}` });
        await this.db.outboxEvent.update({
          where: { id: row.id },
          data: { processedAt: new Date(), lastError: null },
        });
        relayed += 1;
      } catch (e) {
        const attempts = row.attempts + 1;
        const delayMs = backoffDelay(RELAY_BACKOFF, attempts);
        await this.db.outboxEvent.update({
          where: { id: row.id },
          data: {
            attempts,
            lastError: (e as Error).message.slice(0, 500),
            availableAt: new Date(Date.now() + delayMs),
          },
        });
        this.logger.warn(
          { err: e, outbox: row.id, attempts },
          'could not enqueue outbox event; will retry',
        );
        // Redis is likely down: the rest of the batch would fail the same way.
        break;
      }
    }
    return relayed;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }
}
