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

let idps: Record<string, DevIdp>;
let t: SsoTestApp | undefined;
beforeAll(async () => {
  idps = await startIdps(['google', 'okta', 'okta-custom', 'auth0', 'generic']);
});
afterAll(async () => {
  for (const idp of Object.values(idps)) await idp.close();
});
afterEach(async () => {
  for (const idp of Object.values(idps)) {
    idp.setIdTokenTamper(null);
    idp.setDiscoveryIssuer(null);
  }
  await t?.close();
  t = undefined;
});

async function withOrg(
  kind: 'GOOGLE' | 'OKTA' | 'AUTH0' | 'OIDC',
  idp: DevIdp,
  extra: Record<string, unknown> = {},
) {
  t = await startSsoApp({
    PLATFORM_OIDC_ISSUER: idps['generic']!.issuer,
    PLATFORM_OIDC_CLIENT_ID: CLIENT_ID,
    PLATFORM_OIDC_CLIENT_SECRET: CLIENT_SECRET,
  });
  const org = await t.org('acme', { 'owner@acme.test': 'OWNER' });
  // acme owns the dev-idp users' domain, so its connection provisions accounts with their addresses.
  await t.verifiedDomain(org.id, 'example.com');
  const res = await t.api(
    org.pats['owner@acme.test']!,
    'POST',
    `/api/v1/orgs/acme/sso-connections`,
    {
      kind,
      name: kind,
      issuer: idp.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      ...extra,
    },
  );
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { app: t, org, connectionId: res.json.id as string, pat: org.pats['owner@acme.test']! };
}

describe('successful login per provider kind', () => {
  it.each([
    ['GOOGLE', 'google', { allowedDomains: ['example.com'] }, 'VIEWER'],
    [
      'OKTA',
      'okta',
      { roleMapping: { values: { 'switchyard-admins': 'ADMIN', 'switchyard-editors': 'EDITOR' } } },
      'ADMIN',
    ],
    ['OKTA', 'okta-custom', { roleMapping: { values: { 'switchyard-admins': 'ADMIN' } } }, 'ADMIN'],
    [
      'AUTH0',
      'auth0',
      { auth0Organization: 'org_example', roleMapping: { values: { admin: 'ADMIN' } } },
      'ADMIN',
    ],
    ['OIDC', 'generic', { defaultRole: 'EDITOR' }, 'EDITOR'],
  ] as const)('%s (%s profile)', async (kind, profile, extra, role) => {
    const idp = idps[profile]!;
    const { app, org, connectionId } = await withOrg(kind, idp, extra);
    const browser = app.browser();
    const res = await browser.login(connectionId, 'alice', '/orgs/acme');
    expect(res.status, res.body).toBe(302);
    expect(res.location).toBe(`${PUBLIC_URL}/orgs/acme`);
    const session = browser.cookies(PUBLIC_URL).get('__Host-switchyard_session');
    expect(session).toBeDefined();
    const user = await app.db.user.findUniqueOrThrow({
      where: { email: 'alice@example.com' },
      include: { identities: true, memberships: true },
    });
    expect(user.identities).toEqual([
      expect.objectContaining({ issuer: idp.issuer, subject: 'alice', email: 'alice@example.com' }),
    ]);
    expect(user.memberships).toEqual([expect.objectContaining({ orgId: org.id, role })]);
    const me = await app.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `__Host-switchyard_session=${session}` },
    });
    expect(me.statusCode).toBe(200);
    expect(
      app.logs.some((l) => l['event'] === 'auth.success' && l['connectionId'] === connectionId),
    ).toBe(true);
    expect(app.failures()).toEqual([]);
  });

  it('platform connection: user and identity, no membership', async () => {
    t = await startSsoApp({
      PLATFORM_OIDC_ISSUER: idps['generic']!.issuer,
      PLATFORM_OIDC_CLIENT_ID: CLIENT_ID,
      PLATFORM_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    });
    const res = await t.browser().login('platform', 'bob', '/');
    expect(res.status, res.body).toBe(302);
    const user = await t.db.user.findUniqueOrThrow({
      where: { email: 'bob@example.com' },
      include: { identities: true, memberships: true },
    });
    expect(user.identities[0]).toMatchObject({ issuer: idps['generic']!.issuer, subject: 'bob' });
    expect(user.memberships).toEqual([]);
  });
});
