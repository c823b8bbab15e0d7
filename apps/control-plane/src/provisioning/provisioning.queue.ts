/**
 * The provisioning queue: names, job shapes and Redis connections. Job ids never contain `:`
 * (BullMQ reserves it) and are deterministic: `outbox-<outbox id>` for intents relayed from the
 * outbox, `reconcile-<org id>` for the periodic reconciler, so duplicates collapse while a job
 * exists. Producers fail fast when Redis is down (no offline queue: the outbox keeps the intent);
 * workers wait for Redis forever (maxRetriesPerRequest null), as BullMQ requires.
 */
import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';

/** Queue name (BullMQ key prefix comes from the config). */
export const PROVISIONING_QUEUE = 'provisioning';

/** What a provisioning job carries: the organisation to converge. */
export interface ProvisioningJob {
  orgId: string;
  /** The outbox row that caused it, when relayed. */
  outboxId?: string;
}

/** Job names (all converge the organisation; the name records why). */
export type ProvisioningJobName = 'provision' | 'update' | 'deprovision' | 'reconcile';

/** Retries with exponential backoff; finished jobs are removed so the same id can be enqueued again later. */
export const JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: true,
  removeOnFail: 1_000,
};

/** A producer connection: commands fail immediately while Redis is unreachable. */
export function producerConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  });
}

/** A worker connection: blocking commands wait for Redis to come back. */
export function workerConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null });
}

/** The producer side of the provisioning queue. */
export function provisioningQueue(
  connection: Redis,
  prefix: string,
): Queue<ProvisioningJob, unknown, ProvisioningJobName> {
  return new Queue<ProvisioningJob, unknown, ProvisioningJobName>(PROVISIONING_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: JOB_OPTIONS,
  });
}

/** Maps an outbox topic to a job name; undefined for topics provisioning does not handle. */
export function jobNameFor(topic: string): ProvisioningJobName | undefined {
  switch (topic) {
    case 'org.created':
      return 'provision';
    case 'org.deleted':
      return 'deprovision';
    case 'environments.changed':
      return 'update';
    case 'instance.reconcile':
      return 'reconcile';
    default:
      return undefined;
  }
}

/** Outbox topics the relay forwards to this queue. */
export const PROVISIONING_TOPICS = [
  'org.created',
  'org.deleted',
  'environments.changed',
  'instance.reconcile',
];
