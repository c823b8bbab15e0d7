import { z } from 'zod';
import { text } from '../common/dto.js';
import { pageQuery, pageSchema } from '../common/pagination.js';

/** Filters of the audit log. */
export const auditQuery = pageQuery.extend({
  action: text(100).optional(),
  actor: text(100).optional().describe('actor user id'),
  targetType: text(100).optional(),
  targetId: text(100).optional(),
  environment: text(100)
    .optional()
    .describe('environment key: its commits (flag, segment, namespace edits) and its own events'),
  since: z.iso.datetime({ offset: true }).optional().describe('events at or after this time'),
  until: z.iso.datetime({ offset: true }).optional().describe('events before this time'),
});
/** Parsed audit filters. */
export type AuditQuery = z.infer<typeof auditQuery>;

/** One audit event as returned by the API. */
export const auditEventView = z.object({
  id: z.string(),
  action: z.string(),
  actor: z.object({ type: z.string(), id: z.string(), label: z.string().nullable() }),
  target: z.object({ type: z.string(), id: z.string() }),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  time: z.string(),
});
/** Audit event view. */
export type AuditEventView = z.infer<typeof auditEventView>;
/** A page of audit events. */
export const auditPage = pageSchema(auditEventView);
