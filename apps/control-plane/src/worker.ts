/**
 * `node dist/worker.js`: the control plane's worker mode (WORKER_ROLES): BullMQ consumers for
 * provisioning (with the outbox relay and the reconciler) and outbound webhooks, and for
 * scheduled changes (with their sweep). Instances started by the local driver keep running when
 * the worker stops (a restarted worker adopts them). The scheduler needs the flag write path, so
 * it runs on the control plane's Nest application, initialised but not listening.
 */
import 'reflect-metadata';
import { createPrismaClient } from '@switchyard/db';
import { createApp } from './app.factory.js';
import { createLogger } from './common/logger.js';
import { loadConfig } from './config/config.js';
import { startHookWorker } from './outbound-hooks/hook-worker.js';
import { startProvisioningWorker } from './provisioning/provisioning.worker.js';
import { ScheduleApplier } from './schedules/schedule-applier.js';
import { startScheduleWorker } from './schedules/schedule.worker.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config).child({ process: 'worker' });
  const stops: (() => Promise<void>)[] = [];
  if (config.scheduler.roles.has('provisioning')) {
    const db = createPrismaClient({ databaseUrl: config.databaseUrl, maxConnections: 4 });
    const worker = startProvisioningWorker({ config, db, logger });
    const hooks = startHookWorker({ config, db, logger });
    stops.push(() => Promise.all([worker.close(), hooks.close()]).then(() => db.$disconnect()));
  }
  if (config.scheduler.roles.has('scheduler')) {
    const app = await createApp(config, {
      logger,
      db: createPrismaClient({ databaseUrl: config.databaseUrl, maxConnections: 4 }),
    });
    const scheduler = startScheduleWorker({ applier: app.get(ScheduleApplier), config, logger });
    stops.push(() => scheduler.close().then(() => app.close()));
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'worker shutting down');
      Promise.all(stops.map((stop) => stop())).then(
        () => process.exit(0),
        (e: unknown) => {
          logger.error({ err: e }, 'worker shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
