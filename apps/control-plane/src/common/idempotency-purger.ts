import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from 'pino';
import type { Database } from '@switchyard/db';
import type { AppConfig } from '../config/config.js';
import { CONFIG, DB, LOGGER } from './tokens.js';

/**
 * Deletes idempotency records older than the retention (`IDEMPOTENCY_RETENTION_HOURS`), every
 * `IDEMPOTENCY_PURGE_INTERVAL_MS`, in every replica: the delete is idempotent, so replicas need no
 * coordination, and the age index keeps it cheap. Past the retention a record is already ignored
 * by the interceptor; the purge only keeps the table from growing without bound (it may hold
 * encrypted responses carrying tokens shown once).
 */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.idempotency.purgeIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Deletes every record past the retention; returns how many. */
  async purge(now = Date.now()): Promise<number> {
    const cutoff = new Date(now - this.config.idempotency.retentionMs);
    const { count } = await this.db.idempotencyRecord.deleteMany({
      where: { createdAt: { lt: cutoff } },
    });
    if (count > 0)
      this.logger.info(
        { event: 'idempotency.purged', count, cutoff: cutoff.toISOString() },
        'expired idempotency records purged',
      );
    return count;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.purge().then(
      () => undefined,
      (e: unknown) =>
        this.logger.warn(
          { event: 'idempotency.purge_failed', err: e },
          'idempotency purge failed; retried next period',
        ),
    );
    await this.running;
    this.running = undefined;
  }
}
