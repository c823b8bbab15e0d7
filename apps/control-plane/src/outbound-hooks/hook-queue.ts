/**
 * The outbound-webhook queue: one BullMQ job per delivery row, job id `delivery-<delivery id>`
 * (deterministic, no `:`), so re-enqueueing a delivery that still has a job (the worker's sweep
 * after Redis was away) is a no-op. The row, not the job, is the record: the control plane writes
 * it first, and a job that could not be enqueued is picked up by the sweep.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';

/** Queue name (the key prefix is the provisioning QUEUE_PREFIX). */
export const HOOK_QUEUE = 'outbound-hooks';

/** What a job carries. */
export interface HookJob {
  deliveryId: string;
}

/** Attempts per delivery: the first and five retries. */
export const HOOK_ATTEMPTS = 6;
/** First retry delay; then doubled (1 s, 2 s, 4 s, 8 s, 16 s). */
export const HOOK_BACKOFF_MS = 1_000;

/** Deliveries kept per hook (older rows are pruned by the worker's sweep). */
export const DELIVERIES_KEPT_PER_HOOK = 200;

/** Exponential backoff; finished jobs go (the row keeps the outcome). */
export const HOOK_JOB_OPTIONS: JobsOptions = {
  attempts: HOOK_ATTEMPTS,
  backoff: { type: 'exponential', delay: HOOK_BACKOFF_MS },
  removeOnComplete: true,
  removeOnFail: true,
};

/** The job id of a delivery. */
export function hookJobId(deliveryId: string): string {
  return `delivery-${deliveryId}`;
}

/** The producer side of the queue. */
export function hookQueue(connection: Redis, prefix: string): Queue<HookJob> {
  return new Queue<HookJob>(HOOK_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: HOOK_JOB_OPTIONS,
  });
}
