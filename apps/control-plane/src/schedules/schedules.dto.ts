import { z } from 'zod';
import { flagSchema, KEY_PATTERN } from '@switchyard/flags';
import { futureInstant, id, text } from '../common/dto.js';
import { envParams } from '../environments/environments.dto.js';
import { promotionBody } from '../promotion/promotion.dto.js';

const key = z.string().min(1).max(200).regex(KEY_PATTERN, 'letters, digits, "-", "_" and ","');
/** Scheduling further ahead than this is refused (a typo in the year, not a plan). */
export const MAX_AHEAD_MS = 366 * 24 * 3_600_000;
const at = futureInstant
  .refine((v) => Date.parse(v) <= Date.now() + MAX_AHEAD_MS, 'must be within a year')
  .describe('when to apply it: ISO 8601 with an offset (stored and returned in UTC)');
const message = text(200)
  .pipe(z.string().min(1))
  .optional()
  .describe('the commit summary (defaults to a description of the change)');

export const scheduleParams = envParams.extend({ scheduleId: id });
export type ScheduleParams = z.infer<typeof scheduleParams>;

/**
 * What to schedule. `flag`: the flag as it should be (`document`, null to delete it), reviewed
 * against the revision sent as If-Match; `promotion`: a promotion into this environment, reviewed
 * against If-Match (the target revision of its preview), copying the source as it is now (that
 * revision of the source is what ships);
 * `proposal`: the merge of an open proposal as it is now (If-Match: its revision), which another
 * member approves before it becomes active (protected environments schedule only these).
 */
export const createScheduleBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('flag'),
    at,
    namespace: key,
    flag: key,
    document: flagSchema
      .nullable()
      .describe('the flag as it should be at that time (its key equals `flag`); null deletes it'),
    message,
  }),
  z.strictObject({ kind: z.literal('promotion'), at, promotion: promotionBody, message }),
  z.strictObject({ kind: z.literal('proposal'), at, proposal: z.uuid() }),
]);
export type CreateScheduleBody = z.infer<typeof createScheduleBody>;

export const SCHEDULE_STATUSES = [
  'awaiting_approval',
  'pending',
  'applying',
  'applied',
  'failed',
  'cancelled',
] as const;
/** A scheduled change's state as the API shows it. */
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

export const listSchedulesQuery = z.strictObject({
  namespace: key.optional().describe('only changes of this namespace'),
  flag: key.optional().describe('only changes of this flag (with namespace)'),
  status: z.enum(SCHEDULE_STATUSES).optional(),
});
export type ListSchedulesQuery = z.infer<typeof listSchedulesQuery>;

const person = z.object({ userId: z.string().nullable(), email: z.string() });
export const scheduleView = z.object({
  id: z.string(),
  kind: z.enum(['flag', 'promotion', 'proposal']),
  environment: z.string(),
  namespace: z.string().nullable(),
  flag: z.string().nullable(),
  summary: z.string(),
  status: z.enum(SCHEDULE_STATUSES),
  runAt: z.string().describe('when it applies (UTC)'),
  baseRevision: z.string().describe('environment (or proposal) revision it was reviewed against'),
  proposalId: z.string().nullable(),
  createdBy: person,
  createdAt: z.string(),
  approvedBy: person.nullable(),
  approvedAt: z.string().nullable(),
  cancelledBy: z.string().nullable(),
  appliedRevision: z.string().nullable().describe('the commit the scheduler made'),
  failureReason: z.string().nullable().describe('why it did not apply'),
  finishedAt: z.string().nullable(),
  change: z
    .record(z.string(), z.unknown())
    .describe('what runs: the flag document (or null), the promotion, or the proposal'),
});
export type ScheduleView = z.infer<typeof scheduleView>;
export const scheduleList = z.object({ items: z.array(scheduleView) });
