/**
 * The scheduled-change consumer of the worker process: wakes up on the delayed job of each change
 * and sweeps the table every SCHEDULER_SWEEP_INTERVAL_MS (and at start) for due changes whose job
 * was lost or whose worker died. Either path only asks the applier to run a change, and the
 * applier's claim lets exactly one worker through, so the two never double-apply.
 */
import { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.js';
import { workerConnection } from '../provisioning/provisioning.queue.js';
import type { ScheduleApplier } from './schedule-applier.js';
import { SCHEDULE_QUEUE, type ScheduleJob } from './schedule.queue.js';

/** Dependencies of {@link startScheduleWorker}. */
export interface ScheduleWorkerDeps {
  applier: ScheduleApplier;
  config: AppConfig;
  logger: Logger;
}

/** A running scheduled-change consumer. */
export interface ScheduleWorker {
  /** Runs every due change now (what the timer does). */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/** A job that fires a little early (clocks) waits for the change's time, up to this long. */
const EARLY_WAIT_MS = 10_000;

/** Starts the consumer and the sweep. */
export function startScheduleWorker(deps: ScheduleWorkerDeps): ScheduleWorker {
  const { applier, config } = deps;
  const logger = deps.logger.child({ component: 'scheduler' });
  const connection = workerConnection(config.redisUrl);
  connection.on('error', (e: Error) => logger.debug({ err: e }, 'redis (scheduler) error'));
  const worker = new Worker<ScheduleJob>(
    SCHEDULE_QUEUE,
    async (job) => {
      let r = await applier.run(job.data.id);
      const wait = r.outcome === 'skipped' ? r.dueInMs : undefined;
      if (wait !== undefined && wait <= EARLY_WAIT_MS) {
        await new Promise((resolve) => setTimeout(resolve, wait + 20));
        r = await applier.run(job.data.id);
      }
      return r.outcome;
    },
    {
      connection,
      prefix: config.provisioning.queuePrefix,
      concurrency: 2,
      lockDuration: config.provisioning.lockDurationMs,
      stalledInterval: config.provisioning.stalledIntervalMs,
    },
  );
  worker.on('error', (e: Error) => logger.debug({ err: e }, 'scheduler worker error'));
  let sweeping: Promise<void> | undefined;
  const sweep = (): Promise<void> =>
    (sweeping ??= (async () => {
      try {
        for (const id of await applier.due())
          await applier
            .run(id)
            .catch((e: unknown) => logger.warn({ err: e, schedule: id }, 'sweep run failed'));
      } catch (e) {
        logger.warn({ err: e }, 'scheduled change sweep failed');
      } finally {
        sweeping = undefined;
      }
    })());
  const timer = setInterval(() => void sweep(), config.scheduler.sweepIntervalMs);
  timer.unref();
  void sweep();
  logger.info({ worker: applier.workerId }, 'scheduler started');
  return {
    sweep,
    async close() {
      clearInterval(timer);
      await sweeping;
      await worker.close();
      connection.disconnect();
    },
  };
}
