/**
 * The wake signal between the control plane and the provisioning workers: two Redis pub/sub
 * channels under the queue prefix, so a wake skips the queue (no job, no polling) and the answer
 * comes back as soon as the instance serves.
 *
 *   `<prefix>:wake`  control plane → workers  `{"v":1,"orgId":"…"}`
 *   `<prefix>:woken` workers → control plane  `{"v":1,"orgId":"…","ok":true|false,"message"?:"…"}`
 *
 * Every worker hears every request (the organisation's lease picks one to start the instance);
 * every control-plane replica hears every result (any result for an organisation settles all of
 * its waiters). Pub/sub keeps nothing: a lost message costs a timeout and the edge's retry.
 */
import { z } from 'zod';

/** The two channel names under `prefix` (QUEUE_PREFIX). */
export function wakeChannels(prefix: string): { requests: string; results: string } {
  return { requests: `${prefix}:wake`, results: `${prefix}:woken` };
}

const orgId = z.string().min(1).max(200);

/** A request to wake an organisation's instance. */
export const wakeRequestSchema = z.object({ v: z.literal(1), orgId });

/** The outcome of a wake. */
export const wakeResultSchema = z.object({
  v: z.literal(1),
  orgId,
  ok: z.boolean(),
  message: z.string().max(1_000).optional(),
});

/** A wake result as sent. */
export type WakeResult = z.infer<typeof wakeResultSchema>;

/** Parses a message of one of the channels, or undefined when it is not one. */
export function parseWakeMessage<T>(schema: z.ZodType<T>, raw: string): T | undefined {
  try {
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}
