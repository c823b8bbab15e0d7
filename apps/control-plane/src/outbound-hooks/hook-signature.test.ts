import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newHookSecret, signHookBody, verifyHookSignature } from './hook-signature.js';

describe('webhook signatures', () => {
  const secret = newHookSecret();
  const body = '{"id":"evt_1","type":"ping"}';

  it('is v1= and the hex HMAC-SHA256 of `${timestamp}.${body}` (what docs/outbound-webhooks.md tells receivers)', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signHookBody(secret, 1700000000, body)).toBe(`v1=${expected}`);
  });

  it('verifies only the same secret, timestamp and body', () => {
    const sig = signHookBody(secret, 1700000000, body);
    expect(verifyHookSignature(secret, 1700000000, body, sig)).toBe(true);
    expect(verifyHookSignature(newHookSecret(), 1700000000, body, sig)).toBe(false);
    expect(verifyHookSignature(secret, 1700000001, body, sig)).toBe(false);
    expect(verifyHookSignature(secret, 1700000000, `${body} `, sig)).toBe(false);
    expect(verifyHookSignature(secret, 1700000000, body, 'v1=short')).toBe(false);
  });

  it('secrets are fresh and carry 256 bits', () => {
    const a = newHookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(newHookSecret());
  });
});
