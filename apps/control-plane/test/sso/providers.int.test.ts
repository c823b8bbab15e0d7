import type { DevIdp, DevIdpUser } from '@switchyard/dev-idp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  startIdps,
  startSsoApp,
  type SsoTestApp,
} from './sso-harness.js';

/** Provider quirks (A4–A7): Google hd / email_verified, Okta groups, Auth0 org_id, identity keys. */
let idps: Record<string, DevIdp>;
let saved: Map<string, DevIdpUser[]>;
let t: SsoTestApp | undefined;
beforeAll(async () => {
  idps = await startIdps(['google', 'okta', 'auth0', 'generic']);
  saved = new Map(
    Object.entries(idps).map(([k, idp]) => [
      k,
      [...idp.users.values()].map((u) => structuredClone(u)),
    ]),
  );
});
afterAll(async () => {
  for (const idp of Object.values(idps)) await idp.close();
});
afterEach(async () => {
  for (const idp of Object.values(idps)) idp.setIdTokenTamper(null);
  for (const [k, users] of saved)
    for (const u of users) idps[k]!.users.set(u.sub, structuredClone(u));
  await t?.close();
  t = undefined;
});

async function orgWith(
  kind: 'GOOGLE' | 'OKTA' | 'AUTH0' | 'OIDC',
  profile: string,
  extra: Record<string, unknown> = {},
  env: Record<string, string> = {},
) {
  t = await startSsoApp(env);
  const org = await t.org('acme', { 'owner@acme.test': 'OWNER' });
  // These tests are about claims and roles: acme owns the dev-idp users' domain (see account-takeover.int.test.ts otherwise).
  await t.verifiedDomain(org.id, 'example.com');
  const res = await t.api(
    org.pats['owner@acme.test']!,
    'POST',
    '/api/v1/orgs/acme/sso-connections',
    {
      kind,
      name: kind,
      issuer: idps[profile]!.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      ...extra,
    },
  );
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { app: t, orgId: org.id, connectionId: res.json.id as string };
}

async function refused(
  app: SsoTestApp,
  res: { status: number; body: string },
  reason: RegExp,
  status = 401,
): Promise<void> {
  expect(res.status, res.body).toBe(status);
  expect(await app.db.session.count()).toBe(0);
  expect(
    await app.db.membership.count({ where: { user: { email: { not: 'owner@acme.test' } } } }),
  ).toBe(0);
  expect(app.failures().map((f) => f['reason'])).toContainEqual(expect.stringMatching(reason));
}

const role = async (app: SsoTestApp, orgId: string, email: string) =>
  (await app.db.membership.findFirst({ where: { orgId, user: { email } } }))?.role;

describe('Google', () => {
  it('hd claim missing → rejected', async () => {
    const { app, connectionId } = await orgWith('GOOGLE', 'google', {
      allowedDomains: ['example.com'],
    });
    delete idps['google']!.users.get('alice')!.hd;
    await refused(app, await app.browser().login(connectionId, 'alice'), /hd claim missing/);
  });

  it('hd claim of another domain → rejected even with an allowed e-mail domain', async () => {
    const { app, connectionId } = await orgWith('GOOGLE', 'google', {
      allowedDomains: ['example.com'],
    });
    idps['google']!.users.get('alice')!.hd = 'evil.example';
    await refused(app, await app.browser().login(connectionId, 'alice'), /hd claim "evil.example"/);
  });

  it('email_verified=false → rejected', async () => {
    const { app, connectionId } = await orgWith('GOOGLE', 'google', {
      allowedDomains: ['example.com'],
    });
    idps['google']!.users.get('alice')!.email_verified = false;
    await refused(app, await app.browser().login(connectionId, 'alice'), /email_verified/);
  });

  it('iss spelled without the scheme (accounts.google.com style) is accepted for GOOGLE, keyed by the canonical issuer', async () => {
    const { app, connectionId } = await orgWith('GOOGLE', 'google', {
      allowedDomains: ['example.com'],
    });
    const browser = app.browser();
    const callback = await browser.authorize(connectionId, 'alice');
    idps['google']!.setIdTokenTamper({
      claims: { iss: idps['google']!.issuer.replace(/^https?:\/\//, '') },
    });
    const res = await browser.request(callback);
    expect(res.status, res.body).toBe(302);
    expect(await app.db.identity.findFirst()).toMatchObject({
      issuer: idps['google']!.issuer,
      subject: 'alice',
    });
  });

  it('the scheme-less issuer is rejected for any other kind', async () => {
    const { app, connectionId } = await orgWith('OIDC', 'google', {
      allowedDomains: ['example.com'],
    });
    const browser = app.browser();
    const callback = await browser.authorize(connectionId, 'alice');
    idps['google']!.setIdTokenTamper({
      claims: { iss: idps['google']!.issuer.replace(/^https?:\/\//, '') },
    });
    await refused(app, await browser.request(callback), /"iss"/);
  });

  it('the legacy path still verifies the signature', async () => {
    const { app, connectionId } = await orgWith('GOOGLE', 'google', {
      allowedDomains: ['example.com'],
    });
    const browser = app.browser();
    const callback = await browser.authorize(connectionId, 'alice');
    idps['google']!.setIdTokenTamper({
      claims: { iss: idps['google']!.issuer.replace(/^https?:\/\//, '') },
      sign: 'rogue-key',
    });
    await refused(app, await browser.request(callback), /signature/);
  });

  it('a Google connection must name its Workspace domain', async () => {
    t = await startSsoApp();
    const org = await t.org('acme', { 'owner@acme.test': 'OWNER' });
    const res = await t.api(
      org.pats['owner@acme.test']!,
      'POST',
      '/api/v1/orgs/acme/sso-connections',
      {
        kind: 'GOOGLE',
        name: 'G',
        issuer: idps['google']!.issuer,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      },
    );
    expect(res.status).toBe(400);
    expect(res.json.details).toEqual([expect.objectContaining({ path: 'body.allowedDomains' })]);
  });
});

describe('Okta', () => {
  const mapping = {
    roleMapping: { values: { 'switchyard-admins': 'ADMIN', 'switchyard-editors': 'EDITOR' } },
  };

  it('groups map to roles and are recomputed at each login (a removed group lowers the role)', async () => {
    const { app, orgId, connectionId } = await orgWith('OKTA', 'okta', mapping);
    expect((await app.browser().login(connectionId, 'alice')).status).toBe(302);
    expect(await role(app, orgId, 'alice@example.com')).toBe('ADMIN');
    idps['okta']!.users.get('alice')!.groups = ['switchyard-editors'];
    expect((await app.browser().login(connectionId, 'alice')).status).toBe(302);
    expect(await role(app, orgId, 'alice@example.com')).toBe('EDITOR');
    idps['okta']!.users.get('alice')!.groups = [];
    expect((await app.browser().login(connectionId, 'alice')).status).toBe(302);
    expect(await role(app, orgId, 'alice@example.com')).toBe('VIEWER');
    expect(await app.db.auditEvent.count({ where: { action: 'member.sso_role_change' } })).toBe(2);
  });

  it('requireMatch: without a mapped group the login is refused and the membership removed; newcomers are not created', async () => {
    const { app, orgId, connectionId } = await orgWith('OKTA', 'okta', {
      roleMapping: { values: { 'switchyard-admins': 'ADMIN' }, requireMatch: true },
    });
    expect((await app.browser().login(connectionId, 'alice')).status).toBe(302);
    expect(await role(app, orgId, 'alice@example.com')).toBe('ADMIN');
    await app.db.session.deleteMany();
    idps['okta']!.users.get('alice')!.groups = ['everyone'];
    await refused(app, await app.browser().login(connectionId, 'alice'), /no mapped group/);
    expect(await role(app, orgId, 'alice@example.com')).toBeUndefined();
    expect(await app.db.auditEvent.count({ where: { action: 'member.sso_remove' } })).toBe(1);
    await refused(app, await app.browser().login(connectionId, 'carol'), /no mapped group/);
    expect(await app.db.user.count({ where: { email: 'carol@example.com' } })).toBe(0);
  });

  it('150 groups (Okta truncates at 100): roles come from the mapped values present, a warning is logged', async () => {
    const { app, orgId, connectionId } = await orgWith('OKTA', 'okta', mapping);
    idps['okta']!.users.get('bob')!.groups = [
      ...Array.from({ length: 149 }, (_, i) => `noise-${i}`),
      'switchyard-editors',
    ];
    expect((await app.browser().login(connectionId, 'bob')).status).toBe(302);
    expect(await role(app, orgId, 'bob@example.com')).toBe('EDITOR');
    expect(
      app.logs.some(
        (l) =>
          l['event'] === 'auth.claims_warning' && /may be truncated/.test(String(l['warning'])),
      ),
    ).toBe(true);
  });

  it('the last OWNER is never demoted by a mapping; the decision is logged', async () => {
    const { app, orgId, connectionId } = await orgWith('OKTA', 'okta', {
      roleMapping: { values: { 'switchyard-admins': 'OWNER' } },
    });
    expect((await app.browser().login(connectionId, 'alice')).status).toBe(302);
    expect(await role(app, orgId, 'alice@example.com')).toBe('OWNER');
    await app.db.membership.deleteMany({ where: { orgId, user: { email: 'owner@acme.test' } } });
    idps['okta']!.users.get('alice')!.groups = [];
    expect((await app.browser().login(connectionId, 'alice')).status).toBe(302);
    expect(await role(app, orgId, 'alice@example.com')).toBe('OWNER');
    expect(app.logs.some((l) => l['event'] === 'auth.sso_role_kept')).toBe(true);
  });

  it('org vs custom authorization server issuers are compared exactly', async () => {
    // Started first so that its origin is allow-listed: the refusal below is the issuer mismatch, not the address policy.
    const custom = (await startIdps(['okta-custom']))['okta-custom']!;
    t = await startSsoApp();
    const org = await t.org('acme', { 'owner@acme.test': 'OWNER' });
    // The org AS (no path) is configured, but the custom AS is what answers there: /oauth2/default ≠ root.
    try {
      const res = await t.api(
        org.pats['owner@acme.test']!,
        'POST',
        '/api/v1/orgs/acme/sso-connections',
        {
          kind: 'OKTA',
          name: 'O',
          domain: undefined,
          issuer: custom.origin,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
        },
      );
      expect(res.status).toBe(400);
      expect(res.json.details[0]).toMatchObject({ path: 'issuer' });
      expect(res.json.details[0].message).not.toMatch(/not allowed/);
    } finally {
      await custom.close();
    }
  });
});

describe('Auth0', () => {
  it('org_id different from the connection organization → rejected', async () => {
    const { app, connectionId } = await orgWith('AUTH0', 'auth0', {
      auth0Organization: 'org_other',
    });
    await refused(app, await app.browser().login(connectionId, 'alice'), /org_id/);
  });

  it('org_id missing → rejected', async () => {
    const { app, connectionId } = await orgWith('AUTH0', 'auth0', {
      auth0Organization: 'org_example',
    });
    delete idps['auth0']!.users.get('alice')!.org_id;
    await refused(app, await app.browser().login(connectionId, 'alice'), /org_id/);
  });

  it('the organization parameter is sent and namespaced role claims map to roles', async () => {
    const { app, orgId, connectionId } = await orgWith('AUTH0', 'auth0', {
      auth0Organization: 'org_example',
      roleMapping: { values: { editor: 'EDITOR' } },
    });
    const start = await app
      .browser()
      .request(`https://cp.switchyard.test/api/v1/auth/login?connection=${connectionId}`);
    expect(new URL(start.location!).searchParams.get('organization')).toBe('org_example');
    expect((await app.browser().login(connectionId, 'bob')).status).toBe(302);
    expect(await role(app, orgId, 'bob@example.com')).toBe('EDITOR');
  });
});

describe('identity key (issuer, subject)', () => {
  it('the same e-mail from another IdP does not take over the account', async () => {
    const env = {
      PLATFORM_OIDC_ISSUER: idps['generic']!.issuer,
      PLATFORM_OIDC_CLIENT_ID: CLIENT_ID,
      PLATFORM_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    };
    const { app, connectionId } = await orgWith('OKTA', 'okta', {}, env);
    expect((await app.browser().login('platform', 'alice')).status).toBe(302);
    await app.db.session.deleteMany();
    // 409 with a message telling the user to sign in as before and link (the domain is even verified).
    await refused(app, await app.browser().login(connectionId, 'alice'), /another identity/, 409);
    expect(await app.db.identity.count()).toBe(1);
  });

  it('an e-mail domain outside the allowlist is rejected', async () => {
    const { app, connectionId } = await orgWith('OIDC', 'generic', {
      allowedDomains: ['acme.test'],
    });
    await refused(app, await app.browser().login(connectionId, 'alice'), /not allowed/);
  });

  it('an invited member (no identity yet) is linked on first login through a domain-restricted connection', async () => {
    const { app, orgId, connectionId } = await orgWith('OKTA', 'okta', {
      allowedDomains: ['example.com'],
      roleMapping: { values: { 'switchyard-admins': 'ADMIN' } },
    });
    const invited = await app.db.user.create({ data: { email: 'alice@example.com' } });
    await app.db.membership.create({ data: { orgId, userId: invited.id, role: 'VIEWER' } });
    expect((await app.browser().login(connectionId, 'alice')).status).toBe(302);
    expect(await app.db.identity.findFirst({ where: { userId: invited.id } })).toMatchObject({
      issuer: idps['okta']!.issuer,
      subject: 'alice',
    });
    expect(await role(app, orgId, 'alice@example.com')).toBe('ADMIN');
  });
});
