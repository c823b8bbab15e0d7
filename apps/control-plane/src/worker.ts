/**
 * `node dist/worker.js`: the control plane's worker mode (BullMQ consumers for provisioning and
 * outbound webhooks, the outbox relay and the reconciler). Instances started by the local driver keep running when the
 * worker stops (a restarted worker adopts them).
 */
import 'reflect-metadata';
import { createPrismaClient } from '@switchyard/db';
import { createLogger } from './common/logger.js';
import { loadConfig } from './config/config.js';
import { startHookWorker } from './outbound-hooks/hook-worker.js';
import { startProvisioningWorker } from './provisioning/provisioning.worker.js';

function main(): void {
  const config = loadConfig(process.env);
  const logger = createLogger(config).child({ process: 'worker' });
  const db = createPrismaClient({ databaseUrl: config.databaseUrl, maxConnections: 4 });
  const worker = startProvisioningWorker({ config, db, logger });
  const hooks = startHookWorker({ config, db, logger });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'worker shutting down');
      Promise.all([worker.close(), hooks.close()])
        .then(() => db.$disconnect())
        .then(
          () => process.exit(0),
          (e: unknown) => {
            logger.error({ err: e }, 'worker shutdown failed');
            process.exit(1);
          },
        );
    });
  }
}

try {
  main();
} catch (e) {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
}
