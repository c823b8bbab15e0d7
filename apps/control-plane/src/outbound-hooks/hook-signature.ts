/**
 * Signing of webhook deliveries (docs/webhooks.md tells receivers how to verify): the signature is
 * HMAC-SHA256, keyed with the hook's secret, over `${timestamp}.${body}` where the timestamp is
 * the `X-Switchyard-Timestamp` header (Unix seconds). Binding the timestamp lets a receiver refuse
 * replays older than its tolerance; the `v1=` prefix leaves room for a second scheme.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Header names of a delivery. */
export const HOOK_HEADERS = {
  event: 'x-switchyard-event',
  eventId: 'x-switchyard-event-id',
  delivery: 'x-switchyard-delivery',
  timestamp: 'x-switchyard-timestamp',
  signature: 'x-switchyard-signature',
} as const;

/** A new signing secret (`whsec_` + 32 random bytes, base64url). */
export function newHookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The `X-Switchyard-Signature` value of `body` sent at `timestamp` (Unix seconds). */
export function signHookBody(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** True when `signature` is `body`'s signature at `timestamp` (what a receiver checks). */
export function verifyHookSignature(
  secret: string,
  timestamp: number,
  body: string,
  signature: string,
): boolean {
  const expected = Buffer.from(signHookBody(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
