/**
 * The worker's usage rollup, every USAGE_ROLLUP_INTERVAL_MS: recomputes the hour buckets whose
 * minutes were written since the previous run (minus a minute of overlap for transactions that
 * committed late) and the day buckets of the hours just recomputed, then deletes rows past each
 * granularity's retention and applied batch ids past the minute retention.
 *
 * Recomputing replaces a coarse bucket with the sum of its finer ones (never adds to it), so a
 * run that repeats, overlaps, or runs in two workers at once counts once. That needs every
 * finer row of a touched bucket to still exist: ingest refuses minutes within two hours of the
 * minute retention, and hours are kept at least two days longer than minutes.
 */
import type { Database } from '@switchyard/db';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.js';

const OVERLAP_MS = 60_000;
const DAY_MS = 86_400_000;

/** What one run did. */
export interface RollupResult {
  hours: number;
  days: number;
  deleted: number;
}

/** Periodic rollup and retention of usage buckets. */
export class UsageRollup {
  #since: Date | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    private readonly db: Database,
    private readonly usage: AppConfig['usage'],
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.#timer = setInterval(() => {
      this.#running ??= this.run()
        .catch((e: unknown) => this.logger.warn({ err: e }, 'usage rollup failed'))
        .finally(() => (this.#running = undefined));
    }, this.usage.rollupIntervalMs).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass; the first pass of a process looks at every minute still retained. */
  async run(now = new Date()): Promise<RollupResult> {
    const since = this.#since
      ? new Date(this.#since.getTime() - OVERLAP_MS)
      : new Date(now.getTime() - this.usage.minuteRetentionMs);
    const hours = await this.#rollup('minute', 'hour', since);
    const days = await this.#rollup('hour', 'day', since);
    const deleted = await this.#retain(now);
    this.#since = now;
    return { hours, days, deleted };
  }

  /** Replaces each `to` bucket containing `from` rows written since `since` by their sum. */
  async #rollup(from: 'minute' | 'hour', to: 'hour' | 'day', since: Date): Promise<number> {
    const step = to === 'hour' ? '1 hour' : '1 day';
    return this.db.$executeRaw`
      WITH touched AS (
        SELECT DISTINCT "environmentId", "namespaceKey", "flagKey",
               date_trunc(${to}, "bucketStart") AS start
        FROM "flag_usage_buckets"
        WHERE "granularity" = ${from} AND "updatedAt" >= ${since}
      )
      INSERT INTO "flag_usage_buckets"
        ("environmentId", "namespaceKey", "flagKey", "granularity", "bucketStart", "value", "reason", "count", "updatedAt")
      SELECT b."environmentId", b."namespaceKey", b."flagKey", ${to}, t.start, b."value", b."reason",
             SUM(b."count"), now()
      FROM touched t
      JOIN "flag_usage_buckets" b
        ON b."environmentId" = t."environmentId" AND b."namespaceKey" = t."namespaceKey"
       AND b."flagKey" = t."flagKey" AND b."granularity" = ${from}
       AND b."bucketStart" >= t.start AND b."bucketStart" < t.start + ${step}::interval
      GROUP BY b."environmentId", b."namespaceKey", b."flagKey", t.start, b."value", b."reason"
      ORDER BY 1, 2, 3, 5, 6, 7
      ON CONFLICT ("environmentId", "namespaceKey", "flagKey", "granularity", "bucketStart", "value", "reason")
      DO UPDATE SET "count" = EXCLUDED."count", "updatedAt" = now()`;
  }

  async #retain(now: Date): Promise<number> {
    const u = this.usage;
    const t = now.getTime();
    const cut = (ms: number) => new Date(t - ms);
    // Hours outlive minutes by two days and days outlive hours: a recomputed bucket is whole.
    const hourMs = Math.max(u.hourRetentionMs, u.minuteRetentionMs + 2 * DAY_MS);
    const dayMs = Math.max(u.dayRetentionMs, hourMs + 2 * DAY_MS);
    const removed = await Promise.all([
      this.db.flagUsageBucket.deleteMany({
        where: { granularity: 'minute', bucketStart: { lt: cut(u.minuteRetentionMs) } },
      }),
      this.db.flagUsageBucket.deleteMany({
        where: { granularity: 'hour', bucketStart: { lt: cut(hourMs) } },
      }),
      this.db.flagUsageBucket.deleteMany({
        where: { granularity: 'day', bucketStart: { lt: cut(dayMs) } },
      }),
      this.db.appliedUsageBatch.deleteMany({
        where: { appliedAt: { lt: cut(u.minuteRetentionMs) } },
      }),
    ]);
    return removed.reduce((n, r) => n + r.count, 0);
  }
}
