/**
 * The scheduled-change queue. A job is only a wake-up call at the change's time (delayed job
 * `schedule-<id>`, no `:` as BullMQ reserves it, so a duplicate collapses while the job exists);
 * the database row decides whether and by whom the change runs (schedule-applier.ts), and the
 * worker's sweep finds due changes whose job was lost (Redis down when scheduling, flushed).
 */
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { CONFIG, LOGGER } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { producerConnection } from '../provisioning/provisioning.queue.js';

/** Queue name (the key prefix is the configured QUEUE_PREFIX). */
export const SCHEDULE_QUEUE = 'schedules';

/** What a job carries: the scheduled change to run. */
export interface ScheduleJob {
  id: string;
}

/** The job id of a scheduled change. */
export const scheduleJobId = (id: string): string => `schedule-${id}`;

/** Retries with backoff for transient failures (git, database); the row counts attempts too. */
export const SCHEDULE_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: 1_000,
};

/** Producer side: enqueues a delayed job per scheduled change (best effort: the sweep is the backstop). */
@Injectable()
export class ScheduleQueue implements OnApplicationShutdown {
  #connection: Redis | undefined;
  #queue: Queue<ScheduleJob> | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Wakes a worker at `runAt`; never throws (a missed job is found by the sweep). */
  async enqueue(id: string, runAt: Date): Promise<void> {
    try {
      await this.queue().add(
        'apply',
        { id },
        {
          ...SCHEDULE_JOB_OPTIONS,
          jobId: scheduleJobId(id),
          delay: Math.max(0, runAt.getTime() - Date.now()),
        },
      );
    } catch (e) {
      this.logger.warn(
        { err: e, schedule: id },
        'could not enqueue a scheduled change; the sweep will run it',
      );
    }
  }

  /** Drops the job of a cancelled change (best effort: a job that runs finds the row cancelled). */
  async remove(id: string): Promise<void> {
    try {
      await this.queue().remove(scheduleJobId(id));
    } catch (e) {
      this.logger.debug({ err: e, schedule: id }, 'could not remove a scheduled change job');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#queue?.close().catch(() => undefined);
    this.#connection?.disconnect();
  }

  /** Connects on first use: replicas that never schedule anything hold no connection. */
  private queue(): Queue<ScheduleJob> {
    if (!this.#queue) {
      this.#connection = producerConnection(this.config.redisUrl);
      this.#connection.on('error', (e: Error) =>
        this.logger.debug({ err: e }, 'redis (schedule producer) error'),
      );
      this.#queue = new Queue<ScheduleJob>(SCHEDULE_QUEUE, {
        connection: this.#connection,
        prefix: this.config.provisioning.queuePrefix,
      });
      this.#queue.on('error', (e: Error) => this.logger.debug({ err: e }, 'schedule queue error'));
    }
    return this.#queue;
  }
}
