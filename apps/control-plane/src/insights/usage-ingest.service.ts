/**
 * Applies an instance's ReportUsage batch: the minute buckets and each flag's last evaluation,
 * in one transaction with the batch id's row in `applied_usage_batches`. The id's primary key
 * makes the batch count once: a resent batch (its answer was lost) finds its id and changes
 * nothing, and two replicas receiving the same batch serialise on the key.
 *
 * Scope: counts are attributed only to environments of the reporting instance's organisation
 * (looked up by key within it), so an instance cannot count into another tenant. Rows that do
 * not fit (unknown environment, minute outside the retention or in the future, non-positive
 * count, oversized keys) are skipped, not refused: refusing would make the instance resend the
 * whole batch forever.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { UsageBatch__Output } from '@switchyard/contracts';
import type { Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import type { Logger } from 'pino';
import { CONFIG, DB, LOGGER } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';

/** Most rows taken from one batch (the instance bounds its pending rows to 50,000). */
const MAX_ROWS = 50_000;
const MAX_KEY = 256;
/** Clock skew accepted from an instance's minute stamps. */
const FUTURE_SLACK_MS = 120_000;

interface Row {
  env: string;
  ns: string;
  flag: string;
  value: string;
  reason: string;
  minuteMs: number;
  count: number;
  lastAtMs: number;
}

/**
 * Oldest minute accepted: two hours inside the minute retention, so every hour the rollup
 * recomputes from minutes still has all of its minutes (and a batch resent after its id was
 * purged, which happens only past the retention, counts nothing).
 */
export function ingestCutoff(now: number, minuteRetentionMs: number): number {
  return now - minuteRetentionMs + 2 * 3_600_000;
}

/** What applying a batch did. */
export type IngestResult = 'applied' | 'duplicate';

/** Writes usage batches exactly once. */
@Injectable()
export class UsageIngest {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Applies `batch` from instance `instanceId` of `orgId`, once per batch id. */
  async apply(
    instanceId: string,
    orgId: string,
    batch: UsageBatch__Output,
    now = Date.now(),
  ): Promise<IngestResult> {
    if (!batch.batchId || batch.batchId.length > 200 || !batch.batchId.startsWith(`${instanceId}:`))
      throw errors.invalidArgument('batch_id must be "<instance id>:<start>:<sequence>"', [
        { path: 'batch_id', message: 'starts with the instance id, at most 200 characters' },
      ]);
    const keys = [...new Set(batch.counts.map((c) => c.environmentKey))].slice(0, 1_000);
    const envs = await this.db.environment.findMany({
      where: { orgId, key: { in: keys } },
      select: { id: true, key: true },
    });
    const envId = new Map(envs.map((e) => [e.key, e.id]));
    const oldest = ingestCutoff(now, this.config.usage.minuteRetentionMs);
    // Summed per key: one INSERT … ON CONFLICT may not touch a row twice.
    const byKey = new Map<string, Row>();
    let skipped = 0;
    for (const c of batch.counts.slice(0, MAX_ROWS)) {
      const env = envId.get(c.environmentKey);
      const minuteMs = Number(c.minuteMs);
      const count = Number(c.count);
      const ok =
        env !== undefined &&
        Number.isSafeInteger(count) &&
        count > 0 &&
        minuteMs % 60_000 === 0 &&
        minuteMs >= oldest &&
        minuteMs <= now + FUTURE_SLACK_MS &&
        [c.namespaceKey, c.flagKey, c.value, c.reason].every((k) => k.length <= MAX_KEY) &&
        c.flagKey !== '';
      if (!ok) {
        skipped++;
        continue;
      }
      const lastAtMs = Math.min(Math.max(Number(c.lastAtMs) || minuteMs, minuteMs), now);
      const key = [env, c.namespaceKey, c.flagKey, c.value, c.reason, minuteMs].join('\0');
      const seen = byKey.get(key);
      if (seen) {
        seen.count += count;
        seen.lastAtMs = Math.max(seen.lastAtMs, lastAtMs);
      } else
        byKey.set(key, {
          env,
          ns: c.namespaceKey,
          flag: c.flagKey,
          value: c.value,
          reason: c.reason,
          minuteMs,
          count,
          lastAtMs,
        });
    }
    const rows = [...byKey.values()];
    if (skipped > 0)
      this.logger.info(
        { instance: instanceId, batch: batch.batchId, skipped },
        'usage rows skipped',
      );
    return this.db.$transaction(async (tx) => {
      const fresh = await tx.$executeRaw`
        INSERT INTO "applied_usage_batches" ("instanceId", "batchId") VALUES (${instanceId}, ${batch.batchId})
        ON CONFLICT DO NOTHING`;
      if (fresh === 0) return 'duplicate';
      if (rows.length === 0) return 'applied';
      await tx.$executeRaw`
        INSERT INTO "flag_usage_buckets"
          ("environmentId", "namespaceKey", "flagKey", "granularity", "bucketStart", "value", "reason", "count", "updatedAt")
        SELECT e, n, f, 'minute', to_timestamp(m / 1000.0) AT TIME ZONE 'UTC', v, r, c, now()
        FROM unnest(${rows.map((r) => r.env)}::text[], ${rows.map((r) => r.ns)}::text[],
                    ${rows.map((r) => r.flag)}::text[], ${rows.map((r) => r.minuteMs)}::bigint[],
                    ${rows.map((r) => r.value)}::text[], ${rows.map((r) => r.reason)}::text[],
                    ${rows.map((r) => r.count)}::bigint[]) AS t(e, n, f, m, v, r, c)
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT ("environmentId", "namespaceKey", "flagKey", "granularity", "bucketStart", "value", "reason")
        DO UPDATE SET "count" = "flag_usage_buckets"."count" + EXCLUDED."count", "updatedAt" = now()`;
      const last = new Map<string, Row>();
      for (const r of rows) {
        const k = `${r.env}\0${r.ns}\0${r.flag}`;
        const seen = last.get(k);
        if (!seen || seen.lastAtMs < r.lastAtMs) last.set(k, r);
      }
      const l = [...last.values()];
      await tx.$executeRaw`
        INSERT INTO "flag_last_evaluated" ("environmentId", "namespaceKey", "flagKey", "lastEvaluatedAt")
        SELECT e, n, f, to_timestamp(a / 1000.0) AT TIME ZONE 'UTC'
        FROM unnest(${l.map((r) => r.env)}::text[], ${l.map((r) => r.ns)}::text[],
                    ${l.map((r) => r.flag)}::text[], ${l.map((r) => r.lastAtMs)}::bigint[]) AS t(e, n, f, a)
        ORDER BY 1, 2, 3
        ON CONFLICT ("environmentId", "namespaceKey", "flagKey")
        DO UPDATE SET "lastEvaluatedAt" = GREATEST("flag_last_evaluated"."lastEvaluatedAt", EXCLUDED."lastEvaluatedAt")`;
      return 'applied';
    });
  }
}
