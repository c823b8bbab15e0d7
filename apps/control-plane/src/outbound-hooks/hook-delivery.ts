/**
 * One attempt at one delivery (the worker's job body): signs the stored body with the hook's
 * secret and POSTs it through the address policy's fetch (host checked and pinned at connect, so
 * a name that resolves to loopback or a private address is refused even if it resolved elsewhere
 * when the hook was saved; no redirects followed; bounded time and response), then records the
 * outcome on the row. Throws to ask the queue for a retry; refusals by the policy are final.
 */
import type { Database } from '@switchyard/db';
import { isSwitchyardError } from '@switchyard/flags';
import { policyFetch, type AddressPolicy } from '@switchyard/git-store';
import { open, type Keys } from '../common/crypto.js';
import { HOOK_HEADERS, signHookBody } from './hook-signature.js';

/** Deadline of one request. */
export const HOOK_TIMEOUT_MS = 10_000;
/** Largest response read; a larger one fails the attempt. */
export const HOOK_MAX_RESPONSE_BYTES = 64 * 1024;
/** Response text kept in the log. */
export const HOOK_KEPT_RESPONSE_CHARS = 2_000;

/** What an attempt came to. */
export type AttemptOutcome = 'succeeded' | 'retry' | 'failed';

/** The AAD binding a hook's secret ciphertext to its tenant and row. */
export function hookSecretAad(orgId: string, hookId: string): string {
  return `${orgId}|${hookId}`;
}

/** Dependencies of {@link attemptDelivery}. */
export interface DeliveryDeps {
  db: Database;
  keys: Keys;
  policy: AddressPolicy;
}

/**
 * Sends delivery `deliveryId` once. `attempt` is 1-based; `last` says no retry follows, so a
 * failure is recorded as FAILED rather than PENDING.
 */
export async function attemptDelivery(
  deps: DeliveryDeps,
  deliveryId: string,
  attempt: number,
  last: boolean,
): Promise<AttemptOutcome> {
  const row = await deps.db.outboundHookDelivery.findUnique({
    where: { id: deliveryId },
    include: { hook: true },
  });
  if (!row) return 'failed'; // the hook (and its log) was deleted meanwhile
  const record = (data: {
    ok: boolean;
    final: boolean;
    responseStatus?: number | null;
    durationMs?: number | null;
    responseBody?: string | null;
    error?: string | null;
  }) =>
    deps.db.outboundHookDelivery.update({
      where: { id: deliveryId },
      data: {
        status: data.ok ? 'SUCCEEDED' : data.final ? 'FAILED' : 'PENDING',
        attempts: attempt,
        responseStatus: data.responseStatus ?? null,
        durationMs: data.durationMs ?? null,
        responseBody: data.responseBody ?? null,
        error: data.error ?? null,
      },
    });
  if (!row.hook.enabled) {
    await record({ ok: false, final: true, error: 'the webhook is disabled' });
    return 'failed';
  }
  const secret = open(
    deps.keys.encryption,
    row.hook.secretCiphertext,
    hookSecretAad(row.orgId, row.hookId),
  ).toString('utf8');
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const fetch = policyFetch(deps.policy, {
    timeoutMs: HOOK_TIMEOUT_MS,
    maxResponseBytes: HOOK_MAX_RESPONSE_BYTES,
    field: 'url',
  });
  try {
    const res = await fetch(row.hook.url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Switchyard-Webhooks/1',
        [HOOK_HEADERS.event]: row.eventType,
        [HOOK_HEADERS.eventId]: row.eventId,
        [HOOK_HEADERS.delivery]: row.id,
        [HOOK_HEADERS.timestamp]: String(timestamp),
        [HOOK_HEADERS.signature]: signHookBody(secret, timestamp, row.body),
      },
      body: row.body,
    });
    const durationMs = Math.round(performance.now() - started);
    const text = (await res.text()).slice(0, HOOK_KEPT_RESPONSE_CHARS);
    const ok = res.status >= 200 && res.status < 300;
    const error = ok
      ? null
      : res.status >= 300 && res.status < 400
        ? `redirect to ${res.headers.get('location') ?? '(none)'} not followed`
        : `HTTP ${res.status}`;
    await record({
      ok,
      final: last,
      responseStatus: res.status,
      durationMs,
      responseBody: text,
      error,
    });
    return ok ? 'succeeded' : last ? 'failed' : 'retry';
  } catch (e) {
    const durationMs = Math.round(performance.now() - started);
    // The address policy's refusal is InvalidArgument: retrying cannot change it.
    const refused = isSwitchyardError(e, 'InvalidArgument');
    const error = refused
      ? `refused by the address policy: ${(e as Error).message}`
      : e instanceof Error
        ? e.message
        : String(e);
    await record({ ok: false, final: last || refused, durationMs, error: error.slice(0, 1_000) });
    return last || refused ? 'failed' : 'retry';
  }
}
