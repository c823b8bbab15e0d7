import type { DevIdp } from '@switchyard/dev-idp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SessionsService } from '../../src/auth/sessions.service.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  CONSOLE_ORIGIN,
  PUBLIC_URL,
  startIdps,
  startSsoApp,
  type SsoTestApp,
} from './sso-harness.js';

/** Session fixation (A8), cookie flags (A9), logout (A10), open redirect (A12), rate limit (A13). */
let idp: DevIdp;
let t: SsoTestApp | undefined;
beforeAll(async () => {
  idp = (await startIdps(['generic']))['generic']!;
});
afterAll(async () => {
  await idp.close();
});
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const env = (extra: Record<string, string> = {}) => ({
  PLATFORM_OIDC_ISSUER: idp.issuer,
  PLATFORM_OIDC_CLIENT_ID: CLIENT_ID,
  PLATFORM_OIDC_CLIENT_SECRET: CLIENT_SECRET,
  ...extra,
});
const SESSION = '__Host-switchyard_session';

async function me(app: SsoTestApp, secret: string): Promise<number> {
  return (
    await app.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `${SESSION}=${secret}` },
    })
  ).statusCode;
}

describe('session', () => {
  it('a pre-set session cookie is replaced by a new session id; the old one is invalid', async () => {
    t = await startSsoApp(env());
    const victim = await t.db.user.create({ data: { email: 'someone@example.com' } });
    const planted = await t.app.get(SessionsService).create(victim.id);
    const browser = t.browser();
    browser.cookies(PUBLIC_URL).set(SESSION, planted.secret);
    const res = await browser.login('platform', 'alice');
    expect(res.status).toBe(302);
    const fresh = browser.cookies(PUBLIC_URL).get(SESSION)!;
    expect(fresh).not.toBe(planted.secret);
    expect(await me(t, planted.secret)).toBe(401);
    expect(await me(t, fresh)).toBe(200);
    const sessions = await t.db.session.findMany();
    expect(sessions.map((s) => s.id)).not.toContain(planted.id);
    expect(sessions).toHaveLength(1);
  });

  it('session cookie flags: __Host-, Secure, HttpOnly, SameSite=Lax, Path=/, no Domain; the login cookie is cleared', async () => {
    t = await startSsoApp(env());
    const browser = t.browser();
    const res = await browser.request(await browser.authorize('platform', 'alice'));
    const session = res.setCookies.find((c) => c.startsWith(`${SESSION}=`))!;
    expect(session).toMatch(/; Path=\/; Max-Age=\d+; HttpOnly; Secure; SameSite=Lax$/);
    expect(session).not.toMatch(/domain=/i);
    expect(res.setCookies).toContainEqual(
      expect.stringMatching(/^__Host-switchyard_login=; Path=\/; Max-Age=0;/),
    );
    expect(res.location).toBe(`${PUBLIC_URL}/welcome`);
  });

  it('logout ends the server session, sends the browser to end_session with id_token_hint, and the old cookie is 401', async () => {
    t = await startSsoApp(env());
    const browser = t.browser();
    await browser.login('platform', 'alice');
    const secret = browser.cookies(PUBLIC_URL).get(SESSION)!;
    const csrf = t.app.get(SessionsService).csrfToken(secret);
    const res = await browser.request(`${PUBLIC_URL}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { 'x-csrf-token': csrf, origin: CONSOLE_ORIGIN },
    });
    expect(res.status, res.body).toBe(200);
    expect(res.setCookies).toContainEqual(
      expect.stringMatching(/^__Host-switchyard_session=; Path=\/; Max-Age=0;/),
    );
    const redirectTo = new URL(JSON.parse(res.body).redirectTo as string);
    expect(`${redirectTo.origin}${redirectTo.pathname}`).toBe(`${idp.issuer}/session/end`);
    expect(redirectTo.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC_URL}/`);
    expect(redirectTo.searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    // The IdP accepts the hint and the registered post-logout URI (it shows its logout confirmation).
    const atIdp = await browser.request(redirectTo.href);
    expect(atIdp.status).toBe(200);
    expect(await t.db.session.count()).toBe(0);
    expect(await t.db.ssoSession.count()).toBe(0);
    expect(await me(t, secret)).toBe(401);
    expect(t.logs.some((l) => l['event'] === 'auth.logout')).toBe(true);
    expect(
      (await t.db.auditEvent.findMany({ orderBy: { id: 'asc' } })).map((e) => e.action),
    ).toEqual(['identity.create', 'session.create', 'session.delete']);
  });

  it('logout without the CSRF header is refused and the session survives', async () => {
    t = await startSsoApp(env());
    const browser = t.browser();
    await browser.login('platform', 'alice');
    const res = await browser.request(`${PUBLIC_URL}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { origin: CONSOLE_ORIGIN },
    });
    expect(res.status).toBe(403);
    expect(await t.db.session.count()).toBe(1);
  });

  it.each(['//evil.com', 'https://evil.com', '/\\evil.com', '/\t/evil.com', 'javascript:alert(1)'])(
    'returnTo=%j lands on /',
    async (returnTo) => {
      t = await startSsoApp(env());
      const res = await t.browser().login('platform', 'alice', returnTo);
      expect(res.status).toBe(302);
      expect(res.location).toBe(`${PUBLIC_URL}/`);
    },
  );

  it('more than the per-IP budget on /api/v1/auth/* is 429 in the error shape, and logged; other IPs are unaffected', async () => {
    t = await startSsoApp(env({ AUTH_RATE_LIMIT_PER_MINUTE: '3' }));
    const browser = t.browser('203.0.113.7');
    for (let i = 0; i < 3; i++)
      expect(
        (await browser.request(`${PUBLIC_URL}/api/v1/auth/login?connection=platform`)).status,
      ).toBe(302);
    const limited = await browser.request(`${PUBLIC_URL}/api/v1/auth/login?connection=platform`);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body)).toMatchObject({ code: 'ResourceExhausted', details: [] });
    expect(
      (await browser.request(`${PUBLIC_URL}/api/v1/auth/callback/platform?code=x&state=y`)).status,
    ).toBe(429);
    expect(t.logs.filter((l) => l['event'] === 'auth.rate_limited')).toEqual([
      expect.objectContaining({ ip: '203.0.113.7' }),
    ]);
    expect(
      (
        await t
          .browser('203.0.113.8')
          .request(`${PUBLIC_URL}/api/v1/auth/login?connection=platform`)
      ).status,
    ).toBe(302);
  });

  it('an unknown connection is 404 and logged', async () => {
    t = await startSsoApp();
    const res = await t.browser().request(`${PUBLIC_URL}/api/v1/auth/login?connection=platform`);
    expect(res.status).toBe(404);
    expect(t.failures()).toEqual([expect.objectContaining({ reason: 'unknown connection' })]);
  });
});
