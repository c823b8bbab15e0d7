/**
 * Wires the worker mode: BullMQ consumer of the provisioning queue, the outbox relay, the
 * reconciler and the driver. Runs as its own process (`node dist/worker.js`) in production and
 * in-process or as a child in development; the control plane's HTTP app does not need it.
 */
import { writeSync } from 'node:fs';
import { Worker } from 'bullmq';
import type { Database } from '@switchyard/db';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.js';
import { KubernetesDriver } from './drivers/kubernetes-driver.js';
import { LocalDriver } from './drivers/local-driver.js';
import type { InstanceDriver } from './instance-driver.js';
import { OutboxRelay } from './outbox-relay.js';
import { Provisioner, type ProvisioningStep } from './provisioner.js';
import {
  PROVISIONING_QUEUE,
  producerConnection,
  provisioningQueue,
  workerConnection,
  type ProvisioningJob,
  type ProvisioningJobName,
} from './provisioning.queue.js';
import { IdleSleeper } from './idle-sleeper.js';
import { Reconciler } from './reconciler.js';
import { UsageRollup } from '../insights/usage-rollup.js';
import { WakeListener } from './wake-listener.js';

/** Dependencies of {@link startProvisioningWorker}. */
export interface WorkerDeps {
  config: AppConfig;
  db: Database;
  logger: Logger;
  /** Overrides the driver chosen by PROVISIONING_DRIVER (tests). */
  driver?: InstanceDriver;
}

/** A running worker. */
export interface ProvisioningWorker {
  driver: InstanceDriver;
  provisioner: Provisioner;
  relay: OutboxRelay;
  reconciler: Reconciler;
  sleeper: IdleSleeper;
  wakes: WakeListener;
  /** Resolves once wake requests are heard. */
  listening: Promise<void>;
  /** Rolls evaluation counts up to hours and days and applies their retention. */
  rollup: UsageRollup;
  close(options?: { stopInstances?: boolean }): Promise<void>;
}

function createDriver(deps: WorkerDeps): InstanceDriver {
  if (deps.driver) return deps.driver;
  if (deps.config.provisioning.driver === 'kubernetes')
    return new KubernetesDriver(deps.config.provisioning, deps.logger);
  return new LocalDriver(deps.config.provisioning, deps.logger);
}

/** Test-only fault: die the hard way right after `step`, as a SIGKILLed worker would. */
function crashHook(config: AppConfig, logger: Logger): (step: ProvisioningStep) => void {
  const at = config.provisioning.crashAfter;
  return (step) => {
    if (step !== at) return;
    logger.warn({ step }, 'fault injection: SIGKILL after step');
    // The logger writes asynchronously and the kill must not wait (the converge would go on), so
    // the line that explains the crash is also written synchronously, or it would be lost.
    writeSync(2, `fault injection: SIGKILL after step ${step}\n`);
    process.kill(process.pid, 'SIGKILL');
  };
}

/** Starts the consumer, the relay and the reconciler. */
export function startProvisioningWorker(deps: WorkerDeps): ProvisioningWorker {
  const { config, db } = deps;
  const p = config.provisioning;
  const logger = deps.logger.child({ component: 'provisioning' });
  const driver = createDriver(deps);
  const provisioner = new Provisioner(db, config, driver, logger, crashHook(config, logger));
  const producer = producerConnection(config.redisUrl);
  producer.on('error', (e: Error) => logger.debug({ err: e }, 'redis (producer) error'));
  const queue = provisioningQueue(producer, p.queuePrefix);
  queue.on('error', (e: Error) => logger.debug({ err: e }, 'queue error'));
  const consumer = workerConnection(config.redisUrl);
  consumer.on('error', (e: Error) => logger.debug({ err: e }, 'redis (worker) error'));
  const worker = new Worker<ProvisioningJob, unknown, ProvisioningJobName>(
    PROVISIONING_QUEUE,
    async (job) => {
      const result = await provisioner.converge(job.data.orgId);
      if (result === 'not-ready') throw new Error('instance not ready yet');
      return result;
    },
    {
      connection: consumer,
      prefix: p.queuePrefix,
      concurrency: 4,
      lockDuration: p.lockDurationMs,
      stalledInterval: p.stalledIntervalMs,
      maxStalledCount: 2,
    },
  );
  worker.on('error', (e: Error) => logger.debug({ err: e }, 'worker error'));
  worker.on('failed', (job, err) => {
    if (!job) return;
    logger.warn(
      { err, org: job.data.orgId, attempts: job.attemptsMade },
      'provisioning job failed',
    );
    if (job.attemptsMade >= (job.opts.attempts ?? 1) && !err.name.includes('LeaseHeld'))
      void provisioner.markFailed(job.data.orgId, err.message).catch(() => undefined);
  });
  const relay = new OutboxRelay(db, queue, logger, p.outboxPollMs);
  const reconciler = new Reconciler(db, queue, driver, logger, p.reconcileIntervalMs);
  const sleeper = new IdleSleeper(db, provisioner, logger, p.idleSleepMs);
  const wakes = new WakeListener(config.redisUrl, p.queuePrefix, producer, provisioner, logger);
  const listening = wakes
    .start()
    .catch((e: unknown) => logger.error({ err: e }, 'cannot subscribe to wake requests'));
  const rollup = new UsageRollup(db, config.usage, deps.logger.child({ component: 'usage' }));
  relay.start();
  reconciler.start();
  sleeper.start();
  rollup.start();
  logger.info({ driver: driver.kind, prefix: p.queuePrefix }, 'provisioning worker started');
  return {
    driver,
    provisioner,
    relay,
    reconciler,
    sleeper,
    wakes,
    listening,
    rollup,
    async close(options = {}) {
      await rollup.stop();
      await relay.stop();
      await reconciler.stop();
      await sleeper.stop();
      await wakes.stop();
      await worker.close();
      await queue.close();
      await driver.close(options);
      producer.disconnect();
      consumer.disconnect();
    },
  };
}
