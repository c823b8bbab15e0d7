import { z } from 'zod';
import { envParams } from '../environments/environments.dto.js';
import { flagParams, writeQuery, writeResult } from '../flags/flags.dto.js';
import { KEY_PATTERN } from '@switchyard/flags';

const objectKey = z
  .string()
  .min(1)
  .max(200)
  .regex(KEY_PATTERN, 'letters, digits, "-", "_" and ","');
const instant = z.iso
  .datetime({ offset: true })
  .describe('an ISO 8601 time, e.g. 2026-12-07T10:00:00Z');

export { envParams, flagParams, writeQuery, writeResult };

/** Granularities of stored buckets and how long a range of each may be. */
export const GRANULARITY_MAX_POINTS = 1_500;
export const granularity = z.enum(['minute', 'hour', 'day']);
export type Granularity = z.infer<typeof granularity>;

export const usageQuery = z.strictObject({
  from: instant.optional().describe('start of the range (default: 24 hours before `to`)'),
  to: instant.optional().describe('end of the range (default: now)'),
  granularity: granularity.default('hour'),
});
export type UsageQuery = z.infer<typeof usageQuery>;

const point = z.object({ start: z.string(), count: z.number().int() });
const commitMarker = z.object({
  revision: z.string(),
  time: z.string(),
  author: z.string(),
  summary: z.string(),
});
export const flagUsage = z.object({
  environment: z.string(),
  namespace: z.string(),
  flag: z.string(),
  granularity,
  from: z.string(),
  to: z.string(),
  total: z.number().int(),
  /** One series per value served (variant key, or "true"/"false"), non-empty buckets only. */
  series: z.array(
    z.object({
      value: z.string(),
      total: z.number().int(),
      byReason: z.record(z.string(), z.number().int()),
      points: z.array(point),
    }),
  ),
  lastEvaluatedAt: z.string().nullable().describe('in this environment'),
  lastEvaluated: z
    .array(z.object({ environment: z.string(), lastEvaluatedAt: z.string().nullable() }))
    .describe("in each of the organisation's environments (key order)"),
  commits: z.array(commitMarker).describe('commits to the flag within the range, newest first'),
  notice: z.string(),
});

export const summaryQuery = z.strictObject({
  hours: z.coerce.number().int().min(1).max(168).default(24).describe('length of the trend line'),
});
export type SummaryQuery = z.infer<typeof summaryQuery>;
export const usageSummary = z.object({
  environment: z.string(),
  from: z.string(),
  hours: z.number().int(),
  items: z.array(
    z.object({
      namespace: z.string(),
      flag: z.string(),
      total: z.number().int(),
      /** Evaluations per hour, oldest first, `hours` entries. */
      trend: z.array(z.number().int()),
      lastEvaluatedAt: z.string().nullable(),
    }),
  ),
});

export const staleQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(365).optional().describe('N (default STALE_AFTER_DAYS)'),
});
export type StaleQuery = z.infer<typeof staleQuery>;
const staleReason = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('not-evaluated'),
    lastEvaluatedAt: z.string().nullable().describe('in any environment; null: never seen'),
  }),
  z.object({ kind: z.literal('single-value'), value: z.string(), count: z.number().int() }),
]);
export const staleFlags = z.object({
  environment: z.string(),
  revision: z.string(),
  days: z.number().int(),
  items: z.array(
    z.object({
      namespace: z.string(),
      flag: z.string(),
      name: z.string(),
      lastCommitAt: z.string().nullable(),
      reasons: z.array(staleReason),
    }),
  ),
  notice: z.string(),
});

export const archiveBody = z.strictObject({
  flags: z
    .array(z.strictObject({ namespace: objectKey, flag: objectKey }))
    .min(1)
    .max(500)
    .describe('the flags to archive (deleted in one commit; restorable from history)'),
});
export type ArchiveBody = z.infer<typeof archiveBody>;
