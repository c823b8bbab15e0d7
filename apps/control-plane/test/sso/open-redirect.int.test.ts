import type { DevIdp } from '@switchyard/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  PUBLIC_URL,
  startIdps,
  startSsoApp,
  type SsoTestApp,
} from './sso-harness.js';

let idp: DevIdp;
let t: SsoTestApp;
beforeAll(async () => {
  idp = (await startIdps(['generic']))['generic']!;
  t = await startSsoApp({
    PLATFORM_OIDC_ISSUER: idp.issuer,
    PLATFORM_OIDC_CLIENT_ID: CLIENT_ID,
    PLATFORM_OIDC_CLIENT_SECRET: CLIENT_SECRET,
  });
});
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

describe('issue 10 item 4: open redirect after login', () => {
  // The three reported payloads first, then their relatives (backslashes, tabs, newlines, encodings).
  it.each([
    '/.//evil.com',
    '/a/../..//evil.com',
    '/%2e%2e//evil.com',
    '/%2E%2E/%2E%2E//evil.com',
    '/%252e%252e//evil.com',
    '/%2f%2fevil.com',
    '/\\evil.com',
    '/%5c%5cevil.com',
    '/\t/evil.com',
    '/%09/evil.com',
    '/\n/evil.com',
    '/%0d%0a/evil.com',
    '//evil.com',
    'https://evil.com/',
    'javascript:alert(1)',
  ])('returnTo=%j ends the real login at Location: /', async (returnTo) => {
    const browser = t.browser();
    const res = await browser.login('platform', 'alice', returnTo);
    expect(res.status, res.body).toBe(302);
    expect(res.rawLocation).toBe('/');
    expect(browser.cookies(PUBLIC_URL).get('__Host-switchyard_session')).toBeDefined();
  });

  it('a same-origin returnTo survives the login, normalised', async () => {
    const res = await t
      .browser()
      .login('platform', 'alice', '/orgs/acme/../acme/flags?tab=a%26b#top');
    expect(res.status, res.body).toBe(302);
    expect(res.rawLocation).toBe('/orgs/acme/flags?tab=a%26b#top');
  });
});
