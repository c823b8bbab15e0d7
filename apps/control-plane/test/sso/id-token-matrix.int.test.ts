import type { DevIdp, IdTokenTamper } from '@switchyard/dev-idp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  startIdps,
  startSsoApp,
  type SsoTestApp,
} from './sso-harness.js';

/**
 * The negative ID-token matrix (openid-client's RP conformance modules): the dev-idp re-mints the
 * ID token its token endpoint returns; every case must end with no session, no account and an
 * auth-failure log entry.
 */
let idp: DevIdp;
let t: SsoTestApp | undefined;
beforeAll(async () => {
  idp = (await startIdps(['generic']))['generic']!;
});
afterAll(async () => {
  await idp.close();
});
afterEach(async () => {
  idp.setIdTokenTamper(null);
  await t?.close();
  t = undefined;
});

const now = () => Math.floor(Date.now() / 1000);
// Each case names the check that must catch it (openid-client's own message in the logged reason).
const CASES: [string, () => IdTokenTamper, RegExp][] = [
  ['invalid iss', () => ({ claims: { iss: 'https://evil.example' } }), /"iss"/],
  ['missing iss', () => ({ claims: { iss: undefined } }), /"iss"/],
  ['invalid aud', () => ({ claims: { aud: 'someone-else' } }), /"aud"/],
  ['missing aud', () => ({ claims: { aud: undefined } }), /"aud"/],
  [
    'invalid secondary aud (azp names another client)',
    () => ({ claims: { aud: [CLIENT_ID, 'other-client'], azp: 'other-client' } }),
    /"azp"/,
  ],
  ['expired exp', () => ({ claims: { exp: now() - 3600 } }), /"exp"/],
  ['missing exp', () => ({ claims: { exp: undefined } }), /"exp"/],
  [
    'iat a week in the past',
    () => ({ claims: { iat: now() - 7 * 86_400 } }),
    /issued before the login started/,
  ],
  ['missing iat', () => ({ claims: { iat: undefined } }), /"iat"/],
  ['invalid nonce', () => ({ claims: { nonce: 'not-the-nonce' } }), /"nonce"/],
  ['missing nonce', () => ({ claims: { nonce: undefined } }), /"nonce"/],
  ['missing sub', () => ({ claims: { sub: undefined } }), /"sub"/],
  ['signature by another key', () => ({ sign: 'rogue-key' }), /signature verification failed/],
  ['alg none', () => ({ sign: 'none' }), /"alg"/],
  ['HS256 keyed with the public key', () => ({ sign: 'hs256-public-key' }), /"alg"/],
  ['unknown kid', () => ({ sign: 'unknown-kid' }), /no applicable keys/],
];

describe('ID token negative matrix', () => {
  it('control: the untampered token logs in', async () => {
    t = await startSsoApp({
      PLATFORM_OIDC_ISSUER: idp.issuer,
      PLATFORM_OIDC_CLIENT_ID: CLIENT_ID,
      PLATFORM_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    });
    const res = await t.browser().login('platform', 'alice');
    expect(res.status, res.body).toBe(302);
    expect(await t.db.session.count()).toBe(1);
  });

  it.each(CASES)('%s → rejected, no session, failure logged', async (_, tamper, reason) => {
    t = await startSsoApp({
      PLATFORM_OIDC_ISSUER: idp.issuer,
      PLATFORM_OIDC_CLIENT_ID: CLIENT_ID,
      PLATFORM_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    });
    const browser = t.browser();
    const callback = await browser.authorize('platform', 'alice');
    idp.setIdTokenTamper(tamper());
    const res = await browser.request(callback);
    expect(res.status, res.body).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({
      code: 'Unauthenticated',
      message: 'login failed',
    });
    expect(res.setCookies.filter((c) => c.startsWith('__Host-switchyard_session='))).toEqual([]);
    expect(await t.db.session.count()).toBe(0);
    expect(await t.db.user.count()).toBe(0);
    const failures = t.failures();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      connectionId: 'platform',
      reason: expect.stringMatching(reason),
    });
    // No secret reaches the log: neither the client secret nor the token.
    expect(JSON.stringify(t.logs)).not.toContain(CLIENT_SECRET);
    // A JWT's shape (header.payload.), not any `eyJ` inside a random state or code.
    expect(JSON.stringify(t.logs)).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./);
  });
});
