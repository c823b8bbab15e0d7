import { readFileSync } from 'node:fs';
import { startDnsServer, type DnsServer } from '@switchyard/testing';
import type { DevIdp } from '@switchyard/dev-idp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_ERROR_CODES } from '../../src/sso/login-errors.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  PUBLIC_URL,
  startIdps,
  startSsoApp,
  type SsoTestApp,
} from './sso-harness.js';

/** Issue 11: "sign in with your company's SSO" by organisation or by a verified e-mail domain. */
let idps: Record<string, DevIdp>;
let dns: DnsServer;
let t: SsoTestApp | undefined;
beforeAll(async () => {
  idps = await startIdps(['okta']);
  dns = await startDnsServer();
});
afterAll(async () => {
  for (const idp of Object.values(idps)) await idp.close();
  await dns?.close();
});
afterEach(async () => {
  await t?.close();
  t = undefined;
  dns.clear();
});

async function discover(app: SsoTestApp, body: unknown, ip = '127.0.0.1') {
  const res = await app.app.inject({
    method: 'POST',
    url: '/api/v1/auth/discover',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
    remoteAddress: ip,
  });
  return { status: res.statusCode, json: JSON.parse(res.body), headers: res.headers };
}

/** acme with an Okta connection and example.com registered; verified through the real TXT lookup when asked. */
async function acme(env: Record<string, string> = {}, verify = true) {
  t = await startSsoApp({ DNS_RESOLVERS: dns.address, ...env });
  const org = await t.org('acme', { 'owner@acme.test': 'OWNER' });
  const pat = org.pats['owner@acme.test']!;
  const conn = await t.api(pat, 'POST', '/api/v1/orgs/acme/sso-connections', {
    kind: 'OKTA',
    name: 'Acme Okta',
    issuer: idps['okta']!.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  });
  expect(conn.status, JSON.stringify(conn.json)).toBe(201);
  const domain = await t.api(pat, 'POST', '/api/v1/orgs/acme/domains', { domain: 'example.com' });
  expect(domain.status).toBe(201);
  if (verify) {
    dns.set(domain.json.verification.name, { TXT: [domain.json.verification.value] });
    const verified = await t.api(pat, 'POST', `/api/v1/orgs/acme/domains/${domain.json.id}/verify`);
    expect(verified.json.status).toBe('verified');
  }
  return { app: t, pat, connectionId: conn.json.id as string };
}

describe('POST /api/v1/auth/discover', () => {
  it('by a work e-mail of a verified domain: the connection, whose login URL signs in through the dev IdP', async () => {
    const { app, connectionId } = await acme();
    const found = await discover(app, { email: 'Alice@EXAMPLE.com' });
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({
      found: true,
      connection: { id: connectionId, name: 'Acme Okta', kind: 'OKTA' },
      loginUrl: `/api/v1/auth/login?connection=${connectionId}`,
    });
    const browser = app.browser();
    const start = await browser.request(`${PUBLIC_URL}${found.json.loginUrl}&returnTo=/orgs/acme`);
    expect(start.status).toBe(302);
    const done = await browser.login(connectionId, 'alice', '/orgs/acme');
    expect(done.status).toBe(302);
    expect(done.rawLocation).toBe('/orgs/acme');
    // The session records where it was opened from (shown on /account).
    expect(await app.db.session.findFirstOrThrow()).toMatchObject({
      ip: '127.0.0.1',
      userAgent: 'sso-test',
    });
  });

  it('an unverified domain, an unknown one, an unknown organisation and one without SSO get the same generic answer', async () => {
    const { app, pat } = await acme({}, false);
    const unverified = await discover(app, { email: 'alice@example.com' });
    const unknown = await discover(app, { email: 'someone@nobody.example' });
    const noOrg = await discover(app, { org: 'no-such-org' });
    await app.org('bare', {});
    const noSso = await discover(app, { org: 'bare' });
    for (const r of [unverified, unknown, noOrg, noSso]) {
      expect(r.status).toBe(200);
      expect(r.json).toEqual(unverified.json);
    }
    expect(unverified.json).toMatchObject({ found: false, connection: null, loginUrl: null });
    // No account is looked up: an existing user's address answers like any other.
    await app.db.user.create({ data: { email: 'known@nobody.example' } });
    expect((await discover(app, { email: 'known@nobody.example' })).json).toEqual(unknown.json);
    // By organisation slug the connection is found even before a domain is verified.
    expect((await discover(app, { org: 'acme' })).json).toMatchObject({ found: true });
    void pat;
  });

  it('a turned-off connection is not offered; an enforced one is offered first', async () => {
    const { app, pat, connectionId } = await acme();
    const add = (name: string, enforce: boolean) =>
      app.api(pat, 'POST', '/api/v1/orgs/acme/sso-connections', {
        kind: 'OKTA',
        name,
        issuer: idps['okta']!.issuer,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        enforce,
      });
    const second = await add('Acme second', false);
    expect(second.status, JSON.stringify(second.json)).toBe(201);
    const off = await app.api(pat, 'PATCH', `/api/v1/orgs/acme/sso-connections/${connectionId}`, {
      enabled: false,
    });
    expect(off.status, JSON.stringify(off.json)).toBe(200);
    expect((await discover(app, { email: 'a@example.com' })).json.connection.id).toBe(
      second.json.id,
    );
    await app.api(pat, 'PATCH', `/api/v1/orgs/acme/sso-connections/${second.json.id}`, {
      enabled: false,
    });
    expect((await discover(app, { email: 'a@example.com' })).json.found).toBe(false);
    await app.api(pat, 'PATCH', `/api/v1/orgs/acme/sso-connections/${connectionId}`, {
      enabled: true,
    });
    // Created last, but enforced: offered first (the owner's PAT cannot manage acme after this).
    const enforced = await add('Acme enforced', true);
    expect(enforced.status, JSON.stringify(enforced.json)).toBe(201);
    expect((await discover(app, { org: 'acme' })).json.connection.id).toBe(enforced.json.id);
  });

  it('bad input is a 400 naming the field; neither or both is refused', async () => {
    const { app } = await acme({}, false);
    for (const body of [
      {},
      { email: 'a@example.com', org: 'acme' },
      { email: 'not-an-email' },
      { org: 'Not A Slug' },
      { email: 'a@example.com', extra: 1 },
    ]) {
      const res = await discover(app, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.code).toBe('InvalidArgument');
      expect(res.json.details.length).toBeGreaterThan(0);
    }
  });

  it('is rate limited per client address like the other auth routes (429 with Retry-After)', async () => {
    const { app } = await acme({ AUTH_RATE_LIMIT_PER_MINUTE: '3' }, false);
    for (let i = 0; i < 3; i++)
      expect((await discover(app, { org: 'acme' }, '127.0.0.9')).status).toBe(200);
    const limited = await discover(app, { org: 'acme' }, '127.0.0.9');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await discover(app, { org: 'acme' }, '127.0.0.10')).status).toBe(200);
  });
});

describe('the sign-in page explains every code', () => {
  it('apps/web login-messages.ts has a message for each code the control plane sends', () => {
    const source = readFileSync(
      new URL('../../../web/src/lib/login-messages.ts', import.meta.url),
      'utf8',
    );
    for (const code of LOGIN_ERROR_CODES)
      expect(source, code).toMatch(new RegExp(`^\\s+(?:'${code}'|${code}): \\{`, 'm'));
  });
});
