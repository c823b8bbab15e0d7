import { z } from 'zod';
import { id, instantOrNull, name, orgParams } from '../common/dto.js';
import { pageSchema } from '../common/pagination.js';
import { HOOK_EVENT_TYPES } from './hook-events.js';

export const hookParams = orgParams.extend({ hookId: id });
export const hookDeliveryParams = hookParams.extend({ deliveryId: id });

/** A target URL: http(s), no credentials, no fragment; where it points is checked by the service. */
const hookUrl = z
  .string()
  .max(2_000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL')
  .refine((v) => !URL.canParse(v) || (new URL(v).username === '' && new URL(v).password === ''), {
    message: 'must not carry credentials (the signature authenticates the sender)',
  })
  .refine((v) => !v.includes('#'), 'must not have a fragment')
  .describe('where deliveries are POSTed');
const hookEvents = z
  .array(z.enum(HOOK_EVENT_TYPES))
  .min(1)
  .max(HOOK_EVENT_TYPES.length)
  .describe('event types delivered');

export const createHookBody = z.strictObject({
  name,
  url: hookUrl,
  events: hookEvents,
  enabled: z.boolean().default(true),
});
export type CreateHookBody = z.infer<typeof createHookBody>;

export const updateHookBody = z
  .strictObject({
    name: name.optional(),
    url: hookUrl.optional(),
    events: hookEvents.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');
export type UpdateHookBody = z.infer<typeof updateHookBody>;

export const hookView = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type HookView = z.infer<typeof hookView>;
export const createdHook = hookView.extend({
  secret: z.string().describe('the signing secret, shown once'),
});
export const hookPage = pageSchema(hookView);

export const deliveryView = z.object({
  id: z.string(),
  hookId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(['PENDING', 'SUCCEEDED', 'FAILED']),
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  lastAttemptAt: instantOrNull,
});
export type DeliveryView = z.infer<typeof deliveryView>;
export const deliveryDetail = deliveryView.extend({
  body: z.string().describe('the JSON body sent'),
  responseBody: z.string().nullable().describe('the response, truncated'),
});
export type DeliveryDetail = z.infer<typeof deliveryDetail>;
export const deliveryPage = pageSchema(deliveryView);
