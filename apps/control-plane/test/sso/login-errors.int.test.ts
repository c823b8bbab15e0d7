import type { DevIdp } from '@switchyard/dev-idp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LoginErrorCode } from '../../src/sso/login-errors.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  PUBLIC_URL,
  startIdps,
  startOrgIdp,
  startSsoApp,
  type Browser,
  type HttpResult,
  type SsoTestApp,
} from './sso-harness.js';

/**
 * Issue 11: every refused browser login lands on the console's sign-in page with a code it explains
 * (`/login?error=<code>`), through the real dev IdP; API clients keep the JSON error.
 */
let idps: Record<string, DevIdp>;
let t: SsoTestApp | undefined;
const extraIdps: DevIdp[] = [];
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
  for (const idp of extraIdps.splice(0)) await idp.close();
});

const platformEnv = (issuer = idps['generic']!.issuer) => ({
  PLATFORM_OIDC_ISSUER: issuer,
  PLATFORM_OIDC_CLIENT_ID: CLIENT_ID,
  PLATFORM_OIDC_CLIENT_SECRET: CLIENT_SECRET,
});

function navigating(app: SsoTestApp): Browser {
  const b = app.browser();
  b.navigate = true;
  return b;
}

/** The refusal is a redirect to the sign-in page with `code`, no session, and the login cookie cleared. */
async function sentToLogin(app: SsoTestApp, res: HttpResult, code: LoginErrorCode): Promise<URL> {
  expect(res.status, res.body).toBe(302);
  expect(res.rawLocation).toMatch(/^\/login\?/);
  const to = new URL(res.rawLocation!, PUBLIC_URL);
  // On a mismatch, the message shows the reasons the control plane logged.
  expect(to.searchParams.get('error'), JSON.stringify(app.failures().map((f) => f['reason']))).toBe(
    code,
  );
  expect(res.body).not.toContain('"code"');
  expect(res.setCookies.some((c) => /^__Host-switchyard_login=;.*Max-Age=0/.test(c))).toBe(true);
  expect(
    res.setCookies.some((c) => c.startsWith('__Host-switchyard_session=') && !/Max-Age=0/.test(c)),
  ).toBe(false);
  expect(await app.db.session.count()).toBe(0);
  return to;
}

async function orgConnection(
  app: SsoTestApp,
  profile: 'generic' | 'okta',
  extra: Record<string, unknown> = {},
  members: Record<string, 'OWNER' | 'VIEWER'> = {},
) {
  const org = await app.org('acme', { 'owner@acme.test': 'OWNER', ...members });
  const res = await app.api(
    org.pats['owner@acme.test']!,
    'POST',
    '/api/v1/orgs/acme/sso-connections',
    {
      kind: profile === 'okta' ? 'OKTA' : 'OIDC',
      name: 'Acme SSO',
      issuer: idps[profile]!.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      ...extra,
    },
  );
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { org, connectionId: res.json.id as string };
}

describe('refused browser logins redirect to /login?error=<code>', () => {
  it('unknown-connection: a sign-in link naming no connection', async () => {
    t = await startSsoApp(platformEnv());
    const res = await navigating(t).request(
      `${PUBLIC_URL}/api/v1/auth/login?connection=0195f0c2-aaaa-7bbb-8ccc-0123456789ab`,
    );
    await sentToLogin(t, res, 'unknown-connection');
  });

  it('bad-request: a malformed sign-in link', async () => {
    t = await startSsoApp(platformEnv());
    await sentToLogin(
      t,
      await navigating(t).request(`${PUBLIC_URL}/api/v1/auth/login`),
      'bad-request',
    );
  });

  it('connection-disabled: an administrator turned the connection off (at start, and for a login already at the IdP)', async () => {
    t = await startSsoApp();
    const { org, connectionId } = await orgConnection(t, 'generic');
    const browser = navigating(t);
    const callback = await browser.authorize(connectionId, 'alice');
    const off = await t.api(
      org.pats['owner@acme.test']!,
      'PATCH',
      `/api/v1/orgs/acme/sso-connections/${connectionId}`,
      {
        enabled: false,
      },
    );
    expect(off.status, JSON.stringify(off.json)).toBe(200);
    expect(off.json.enabled).toBe(false);
    await sentToLogin(t, await browser.request(callback), 'connection-disabled');
    await sentToLogin(
      t,
      await navigating(t).request(`${PUBLIC_URL}/api/v1/auth/login?connection=${connectionId}`),
      'connection-disabled',
    );
    // An enforced connection cannot be turned off (members would be locked out).
    const both = await t.api(
      org.pats['owner@acme.test']!,
      'PATCH',
      `/api/v1/orgs/acme/sso-connections/${connectionId}`,
      {
        enforce: true,
      },
    );
    expect(both.status).toBe(400);
    expect(both.json.details).toContainEqual(expect.objectContaining({ path: 'enabled' }));
  });

  it('idp-unavailable: discovery fails', async () => {
    t = await startSsoApp(platformEnv());
    idps['generic']!.setDiscoveryIssuer('https://elsewhere.example');
    await sentToLogin(
      t,
      await navigating(t).request(`${PUBLIC_URL}/api/v1/auth/login?connection=platform`),
      'idp-unavailable',
    );
  });

  it('idp-unavailable: the IdP goes down between start and callback', async () => {
    const idp = await startOrgIdp([
      { sub: 'dora', email: 'dora@example.com', email_verified: true },
    ]);
    extraIdps.push(idp);
    t = await startSsoApp(platformEnv(idp.issuer));
    const browser = navigating(t);
    const callback = await browser.authorize('platform', 'dora');
    await idp.close();
    await sentToLogin(t, await browser.request(callback), 'idp-unavailable');
  });

  it('idp-denied: the user cancelled at the IdP (error=access_denied)', async () => {
    t = await startSsoApp(platformEnv());
    const browser = navigating(t);
    const u = new URL(await browser.authorize('platform', 'alice'));
    const denied = `${u.origin}${u.pathname}?error=access_denied&state=${u.searchParams.get('state')}&iss=${encodeURIComponent(idps['generic']!.issuer)}`;
    await sentToLogin(t, await browser.request(denied), 'idp-denied');
  });

  it('state-expired: no, a used, or an expired login transaction; a mismatched state', async () => {
    t = await startSsoApp(platformEnv());
    const browser = navigating(t);
    const callback = await browser.authorize('platform', 'alice');
    // Another browser (no transaction cookie).
    await sentToLogin(t, await navigating(t).request(callback), 'state-expired');
    // Expired.
    await t.db.ssoLoginTransaction.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    await sentToLogin(t, await browser.request(callback), 'state-expired');
    // Used (the cookie was cleared and the row is gone).
    await sentToLogin(t, await browser.request(callback), 'state-expired');
    // Forged state on a live transaction.
    const again = new URL(await browser.authorize('platform', 'alice'));
    again.searchParams.set('state', 'forged-state');
    await sentToLogin(t, await browser.request(again.href), 'state-expired');
    const reasons = t.failures().map((f) => f['reason']);
    expect(reasons).toContainEqual(expect.stringMatching(/no login transaction cookie/));
    expect(reasons).toContainEqual(expect.stringMatching(/expired/));
  });

  it('not-member: the role mapping gives this user no role in the organisation', async () => {
    t = await startSsoApp();
    await t.db.organisation.findMany();
    const { connectionId } = await orgConnection(t, 'okta', {
      roleMapping: { values: { 'no-such-group': 'ADMIN' }, requireMatch: true },
    });
    await t.verifiedDomain((await t.db.organisation.findFirstOrThrow()).id, 'example.com');
    await sentToLogin(t, await navigating(t).login(connectionId, 'carol'), 'not-member');
  });

  it('email-not-allowed: the connection accepts other e-mail domains only', async () => {
    t = await startSsoApp();
    const { connectionId } = await orgConnection(t, 'generic', { allowedDomains: ['acme.test'] });
    await sentToLogin(t, await navigating(t).login(connectionId, 'alice'), 'email-not-allowed');
  });

  it('link-required (the 409 of JIT): the e-mail belongs to an account and the domain is not verified', async () => {
    t = await startSsoApp();
    const { connectionId } = await orgConnection(
      t,
      'generic',
      {},
      { 'alice@example.com': 'VIEWER' },
    );
    await sentToLogin(t, await navigating(t).login(connectionId, 'alice'), 'link-required');
    // An API client (no navigation) still gets the JSON answer with the message.
    const api = await t.browser().login(connectionId, 'alice');
    expect(api.status).toBe(409);
    expect(JSON.parse(api.body)).toMatchObject({
      code: 'Conflict',
      message: expect.stringMatching(/link this sign-in method/),
    });
  });

  it('invitation-mismatch: an invitation exists for the e-mail but the IdP did not verify it', async () => {
    const idp = await startOrgIdp([
      { sub: 'ivan', email: 'ivan@example.com', email_verified: null },
    ]);
    extraIdps.push(idp);
    t = await startSsoApp(platformEnv(idp.issuer));
    await t.db.user.create({ data: { email: 'ivan@example.com' } });
    await sentToLogin(t, await navigating(t).login('platform', 'ivan'), 'invitation-mismatch');
  });

  it('connection-misconfigured: the connection maps the login above the role of whoever saved it', async () => {
    t = await startSsoApp();
    const { connectionId } = await orgConnection(t, 'okta', {
      roleMapping: { values: { 'switchyard-admins': 'ADMIN' } },
    });
    await t.verifiedDomain((await t.db.organisation.findFirstOrThrow()).id, 'example.com');
    await t.db.ssoConnection.update({
      where: { id: connectionId },
      data: { savedByRole: 'EDITOR' },
    });
    await sentToLogin(
      t,
      await navigating(t).login(connectionId, 'alice'),
      'connection-misconfigured',
    );
  });

  it('sso-required: signed in through the platform, heading to an organisation that enforces its own SSO: names the connection', async () => {
    t = await startSsoApp(platformEnv());
    const { connectionId } = await orgConnection(
      t,
      'okta',
      { enforce: true },
      { 'alice@example.com': 'VIEWER' },
    );
    const res = await navigating(t).login('platform', 'alice', '/orgs/acme/tokens');
    expect(res.status).toBe(302);
    const to = new URL(res.rawLocation!, PUBLIC_URL);
    expect(to.pathname).toBe('/login');
    expect(to.searchParams.get('error')).toBe('sso-required');
    expect(to.searchParams.get('connection')).toBe(connectionId);
    expect(to.searchParams.get('returnTo')).toBe('/orgs/acme/tokens');
    // A non-member heading there learns nothing: plain landing.
    const bob = await navigating(t).login('platform', 'bob', '/orgs/acme');
    expect(bob.rawLocation).toBe('/orgs/acme');
  });

  it('rate-limited: too many sign-in attempts (Retry-After kept)', async () => {
    t = await startSsoApp({ ...platformEnv(), AUTH_RATE_LIMIT_PER_MINUTE: '1' });
    const browser = navigating(t);
    expect(
      (await browser.request(`${PUBLIC_URL}/api/v1/auth/login?connection=platform`)).status,
    ).toBe(302);
    const res = await browser.request(`${PUBLIC_URL}/api/v1/auth/login?connection=platform`);
    expect(res.status).toBe(302);
    expect(new URL(res.rawLocation!, PUBLIC_URL).searchParams.get('error')).toBe('rate-limited');
  });

  it('without a navigation (API client) the callback still answers JSON 401', async () => {
    t = await startSsoApp(platformEnv());
    const res = await t
      .browser()
      .request(`${PUBLIC_URL}/api/v1/auth/callback/platform?code=x&state=y`);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({
      code: 'Unauthenticated',
      message: 'login failed',
    });
  });

  it("through the console's proxy (its fetch sends Sec-Fetch-Mode: cors) the browser's Accept is enough", async () => {
    t = await startSsoApp(platformEnv());
    const res = await t
      .browser()
      .request(`${PUBLIC_URL}/api/v1/auth/callback/platform?code=x&state=y`, {
        headers: {
          accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
          'sec-fetch-mode': 'cors',
        },
      });
    await sentToLogin(t, res, 'state-expired');
  });
});
