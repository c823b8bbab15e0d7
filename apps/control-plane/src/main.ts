import 'reflect-metadata';
import { migrate, MIGRATIONS_DIR } from '@switchyard/db';
import { createApp } from './app.factory.js';
import { createLogger } from './common/logger.js';
import { loadConfig } from './config/config.js';

/** `npm run start`: apply pending migrations (creating the database if needed), then serve. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config);
  const { applied } = await migrate({
    databaseUrl: config.databaseUrl,
    migrationsDir: MIGRATIONS_DIR,
    createDatabase: true,
    onApplied: (name) => logger.info({ migration: name }, 'migration applied'),
  });
  logger.info({ applied: applied.length }, 'database is up to date');
  const app = await createApp(config, { logger });
  await app.listen({ port: config.port, host: config.host });
  logger.info({ host: config.host, port: config.port }, 'control plane listening');
  // Drain in-flight requests and close the pool, then exit 0 (an orchestrator's normal stop).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      app.close().then(
        () => process.exit(0),
        (e: unknown) => {
          logger.error({ err: e }, 'shutdown failed');
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
