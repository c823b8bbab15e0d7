/**
 * The worker side of outbound webhooks: the BullMQ consumer (one attempt per job run, exponential
 * backoff between attempts) and a periodic sweep that (1) queues deliveries left PENDING without a
 * job (Redis was away when the control plane wrote them) and (2) bounds the log: deliveries older
 * than the retention or beyond the newest {@link DELIVERIES_KEPT_PER_HOOK} of a hook are deleted.
 */
import { UnrecoverableError, Worker } from 'bullmq';
import type { Database } from '@switchyard/db';
import type { Logger } from 'pino';
import { deriveKeys } from '../common/crypto.js';
import type { AppConfig } from '../config/config.js';
import { producerConnection, workerConnection } from '../provisioning/provisioning.queue.js';
import { attemptDelivery } from './hook-delivery.js';
import {
  DELIVERIES_KEPT_PER_HOOK,
  HOOK_QUEUE,
  hookJobId,
  hookQueue,
  type HookJob,
} from './hook-queue.js';

/** Deliveries older than this are deleted. */
export const DELIVERY_RETENTION_MS = 30 * 24 * 3_600_000;
/** A PENDING row untouched for this long has no job (the longest backoff is 16 s). */
const ORPHAN_AFTER_MS = 60_000;

/** Dependencies of {@link startHookWorker}. */
export interface HookWorkerDeps {
  config: AppConfig;
  db: Database;
  logger: Logger;
  /** Sweep period (tests shorten it). */
  sweepIntervalMs?: number;
}

/** A running webhook worker. */
export interface HookWorker {
  /** One sweep now (tests; the timer runs it periodically). */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the consumer and the sweep. */
export function startHookWorker(deps: HookWorkerDeps): HookWorker {
  const { config, db } = deps;
  const logger = deps.logger.child({ component: 'outbound-hooks' });
  const prefix = config.provisioning.queuePrefix;
  const delivery = {
    db,
    keys: deriveKeys(config.secret),
    policy: { allowedOrigins: config.outbound.allowedOrigins },
  };
  const consumer = workerConnection(config.redisUrl);
  consumer.on('error', (e: Error) => logger.debug({ err: e }, 'redis (worker) error'));
  const producer = producerConnection(config.redisUrl);
  producer.on('error', (e: Error) => logger.debug({ err: e }, 'redis (producer) error'));
  const queue = hookQueue(producer, prefix);
  queue.on('error', (e: Error) => logger.debug({ err: e }, 'queue error'));
  const worker = new Worker<HookJob>(
    HOOK_QUEUE,
    async (job) => {
      const attempt = job.attemptsMade + 1;
      const last = attempt >= (job.opts.attempts ?? 1);
      const outcome = await attemptDelivery(delivery, job.data.deliveryId, attempt, last);
      if (outcome === 'retry') throw new Error('delivery failed, will retry');
      if (outcome === 'failed' && !last) throw new UnrecoverableError('delivery refused');
      return outcome;
    },
    { connection: consumer, prefix, concurrency: 8 },
  );
  worker.on('error', (e: Error) => logger.debug({ err: e }, 'worker error'));
  worker.on('failed', (job, err) => {
    if (job) logger.info({ err, deliveryId: job.data.deliveryId }, 'webhook attempt failed');
  });

  const sweep = async () => {
    const orphans = await db.outboundHookDelivery.findMany({
      where: { status: 'PENDING', updatedAt: { lt: new Date(Date.now() - ORPHAN_AFTER_MS) } },
      select: { id: true },
      take: 500,
    });
    if (orphans.length > 0)
      await queue.addBulk(
        orphans.map((o) => ({
          name: 'deliver',
          data: { deliveryId: o.id },
          opts: { jobId: hookJobId(o.id) },
        })),
      );
    await db.outboundHookDelivery.deleteMany({
      where: { createdAt: { lt: new Date(Date.now() - DELIVERY_RETENTION_MS) } },
    });
    await db.$executeRaw`
      DELETE FROM outbound_hook_deliveries WHERE id IN (
        SELECT id FROM (
          SELECT id, row_number() OVER (PARTITION BY "hookId" ORDER BY "createdAt" DESC, id DESC) AS n
          FROM outbound_hook_deliveries
        ) ranked WHERE n > ${DELIVERIES_KEPT_PER_HOOK}
      )`;
  };
  const timer = setInterval(() => {
    sweep().catch((err: unknown) => logger.warn({ err }, 'webhook sweep failed'));
  }, deps.sweepIntervalMs ?? 30_000);
  timer.unref();
  logger.info({ prefix }, 'webhook worker started');
  return {
    sweep,
    async close() {
      clearInterval(timer);
      await worker.close();
      await queue.close();
      consumer.disconnect();
      producer.disconnect();
    },
  };
}
