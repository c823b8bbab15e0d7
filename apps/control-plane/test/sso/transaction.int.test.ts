import type { DevIdp } from '@switchyard/dev-idp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  PUBLIC_URL,
  startIdps,
  startSsoApp,
  type SsoTestApp,
} from './sso-harness.js';

/** State, PKCE and one-time transactions (A2), issuer mix-up (A3) and discovery on save. */
let idps: Record<string, DevIdp>;
let t: SsoTestApp | undefined;
beforeAll(async () => {
  idps = await startIdps(['generic', 'okta']);
});
afterAll(async () => {
  for (const idp of Object.values(idps)) await idp.close();
});
afterEach(async () => {
  for (const idp of Object.values(idps)) idp.setDiscoveryIssuer(null);
  await t?.close();
  t = undefined;
});

const platformEnv = () => ({
  PLATFORM_OIDC_ISSUER: idps['generic']!.issuer,
  PLATFORM_OIDC_CLIENT_ID: CLIENT_ID,
  PLATFORM_OIDC_CLIENT_SECRET: CLIENT_SECRET,
});

async function refused(
  app: SsoTestApp,
  res: { status: number; body: string },
  reason: RegExp,
): Promise<void> {
  expect(res.status, res.body).toBe(401);
  expect(await app.db.session.count()).toBe(0);
  expect(app.failures().map((f) => f['reason'])).toContainEqual(expect.stringMatching(reason));
}

function withParam(url: string, name: string, value: string | null): string {
  const u = new URL(url);
  if (value === null) u.searchParams.delete(name);
  else u.searchParams.set(name, value);
  return u.href;
}

describe('state, PKCE and the one-time login transaction', () => {
  it('the transaction cookie is __Host-, Secure, HttpOnly, SameSite=Lax, Path=/, ≤10 min, and state and nonce are sent', async () => {
    t = await startSsoApp(platformEnv());
    const res = await t.browser().request(`${PUBLIC_URL}/api/v1/auth/login?connection=platform`);
    expect(res.status).toBe(302);
    const authorize = new URL(res.location!);
    for (const p of ['state', 'nonce', 'code_challenge'])
      expect(authorize.searchParams.get(p)?.length, p).toBeGreaterThanOrEqual(22);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(
      `${PUBLIC_URL}/api/v1/auth/callback/platform`,
    );
    const [cookie] = res.setCookies;
    expect(cookie).toMatch(/^__Host-switchyard_login=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toMatch(/; Path=\/;/);
    expect(cookie).toMatch(/; Max-Age=600;/);
    expect(cookie).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
    expect(cookie).not.toMatch(/Domain=/i);
    // The row is keyed by a hash: the cookie value itself is not in the database.
    const value = cookie!.split(';')[0]!.split('=')[1]!;
    expect(await t.db.ssoLoginTransaction.count({ where: { id: value } })).toBe(0);
    expect(await t.db.ssoLoginTransaction.count()).toBe(1);
  });

  it('mismatched state is rejected', async () => {
    t = await startSsoApp(platformEnv());
    const browser = t.browser();
    const callback = await browser.authorize('platform', 'alice');
    await refused(t, await browser.request(withParam(callback, 'state', 'forged-state')), /state/);
  });

  it('missing state is rejected', async () => {
    t = await startSsoApp(platformEnv());
    const browser = t.browser();
    const callback = await browser.authorize('platform', 'alice');
    await refused(t, await browser.request(withParam(callback, 'state', null)), /state/);
  });

  it('a callback without the transaction cookie is rejected', async () => {
    t = await startSsoApp(platformEnv());
    const callback = await t.browser().authorize('platform', 'alice');
    await refused(t, await t.browser().request(callback), /no login transaction cookie/);
  });

  it('a replayed callback is rejected (the transaction is one-time)', async () => {
    t = await startSsoApp(platformEnv());
    const browser = t.browser();
    const callback = await browser.authorize('platform', 'alice');
    const txCookie = browser.cookies(PUBLIC_URL).get('__Host-switchyard_login')!;
    expect((await browser.request(callback)).status).toBe(302);
    await t.db.session.deleteMany();
    // Same URL again, even with the original transaction cookie put back.
    browser.cookies(PUBLIC_URL).set('__Host-switchyard_login', txCookie);
    await refused(t, await browser.request(callback), /unknown, used or swept/);
  });

  it('a transaction older than ten minutes is rejected', async () => {
    t = await startSsoApp(platformEnv());
    const browser = t.browser();
    const callback = await browser.authorize('platform', 'alice');
    await t.db.ssoLoginTransaction.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    await refused(t, await browser.request(callback), /expired/);
    expect(await t.db.ssoLoginTransaction.count()).toBe(0);
  });

  it('a wrong PKCE verifier is rejected by the IdP and the login fails', async () => {
    t = await startSsoApp(platformEnv());
    const browser = t.browser();
    const callback = await browser.authorize('platform', 'alice');
    await t.db.ssoLoginTransaction.updateMany({ data: { codeVerifier: 'x'.repeat(43) } });
    await refused(t, await browser.request(callback), /invalid_grant|PKCE|verif/i);
  });

  it('an error response from the IdP (access_denied) is a logged failure', async () => {
    t = await startSsoApp(platformEnv());
    const browser = t.browser();
    const callback = await browser.authorize('platform', 'alice');
    const u = new URL(callback);
    const denied = `${u.origin}${u.pathname}?error=access_denied&state=${u.searchParams.get('state')}&iss=${encodeURIComponent(idps['generic']!.issuer)}`;
    await refused(t, await browser.request(denied), /access_denied|authorization/i);
  });
});

describe('issuer mix-up', () => {
  async function twoConnections() {
    t = await startSsoApp();
    const org = await t.org('acme', { 'owner@acme.test': 'OWNER' });
    const pat = org.pats['owner@acme.test']!;
    const a = await t.api(pat, 'POST', '/api/v1/orgs/acme/sso-connections', {
      kind: 'OIDC',
      name: 'A',
      issuer: idps['generic']!.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });
    const b = await t.api(pat, 'POST', '/api/v1/orgs/acme/sso-connections', {
      kind: 'OKTA',
      name: 'B',
      issuer: idps['okta']!.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    return { app: t, a: a.json.id as string, b: b.json.id as string };
  }

  it('callback of connection A carrying iss = B is rejected', async () => {
    const { app, a } = await twoConnections();
    const browser = app.browser();
    const callback = await browser.authorize(a, 'alice');
    expect(new URL(callback).searchParams.get('iss')).toBe(idps['generic']!.issuer);
    await refused(
      app,
      await browser.request(withParam(callback, 'iss', idps['okta']!.issuer)),
      /iss/,
    );
  });

  it("A's authorization response delivered to B's callback path is rejected", async () => {
    const { app, a, b } = await twoConnections();
    const browser = app.browser();
    const callback = new URL(await browser.authorize(a, 'alice'));
    await refused(
      app,
      await browser.request(`${PUBLIC_URL}/api/v1/auth/callback/${b}${callback.search}`),
      /mix-up/,
    );
  });

  it('a discovery document naming another issuer is refused on save (400) and at login', async () => {
    t = await startSsoApp(platformEnv());
    const org = await t.org('acme', { 'owner@acme.test': 'OWNER' });
    idps['okta']!.setDiscoveryIssuer('https://evil.example');
    const res = await t.api(
      org.pats['owner@acme.test']!,
      'POST',
      '/api/v1/orgs/acme/sso-connections',
      {
        kind: 'OKTA',
        name: 'B',
        issuer: idps['okta']!.issuer,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      },
    );
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      code: 'InvalidArgument',
      details: [{ path: 'issuer', message: expect.stringMatching(/another issuer/) }],
    });
    expect(await t.db.ssoConnection.count()).toBe(0);
    idps['generic']!.setDiscoveryIssuer('https://evil.example');
    const login = await t.browser().request(`${PUBLIC_URL}/api/v1/auth/login?connection=platform`);
    expect(login.status).toBe(503);
    expect(t.failures().map((f) => f['reason'])).toContainEqual(expect.stringMatching(/discovery/));
  });

  it('an unreachable issuer is a clear 400 on save', async () => {
    // Allow-listed, so the address policy lets it through: nothing listens on port 9.
    t = await startSsoApp({ OUTBOUND_ALLOWED_ORIGINS: 'http://127.0.0.1:9' });
    const org = await t.org('acme', { 'owner@acme.test': 'OWNER' });
    const res = await t.api(
      org.pats['owner@acme.test']!,
      'POST',
      '/api/v1/orgs/acme/sso-connections',
      { kind: 'OIDC', name: 'X', issuer: 'http://127.0.0.1:9', clientId: 'c', clientSecret: 's' },
    );
    expect(res.status).toBe(400);
    expect(res.json.details).toEqual([
      { path: 'issuer', message: expect.stringMatching(/unreachable/) },
    ]);
  });
});
