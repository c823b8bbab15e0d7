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

/** The per-organisation connections API: contract, secrecy, discovery on save, tenant scoping, audit. */
let idps: Record<string, DevIdp>;
let t: SsoTestApp | undefined;
beforeAll(async () => {
  idps = await startIdps(['okta', 'auth0']);
});
afterAll(async () => {
  for (const idp of Object.values(idps)) await idp.close();
});
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Every row of every table as text, bytea decoded too (what a database dump would reveal). */
async function dump(app: SsoTestApp): Promise<string> {
  const tables = await app.db.$queryRaw<
    { tablename: string }[]
  >`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`;
  const chunks: string[] = [];
  for (const { tablename } of tables) {
    const rows = await app.db.$queryRawUnsafe<{ r: string }[]>(
      `SELECT x::text AS r FROM "${tablename}" x`,
    );
    for (const { r } of rows)
      chunks.push(
        r,
        ...[...r.matchAll(/\\\\x([0-9a-f]+)/g)].map((m) =>
          Buffer.from(m[1]!, 'hex').toString('latin1'),
        ),
      );
  }
  return chunks.join('\n');
}

describe('SSO connections API', () => {
  it('create, list, get, update, delete: the client secret is encrypted at rest and never returned', async () => {
    t = await startSsoApp();
    const org = await t.org('acme', { 'owner@acme.test': 'OWNER' });
    const pat = org.pats['owner@acme.test']!;
    const secret = 'okta-client-secret-Plaintext-0123456789';
    const created = await t.api(pat, 'POST', '/api/v1/orgs/acme/sso-connections', {
      kind: 'OKTA',
      name: 'Okta',
      issuer: idps['okta']!.issuer,
      clientId: CLIENT_ID,
      clientSecret: secret,
      allowedDomains: ['example.com'],
      roleMapping: { values: { 'switchyard-admins': 'ADMIN' } },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const id = created.json.id as string;
    expect(created.json).toMatchObject({
      kind: 'OKTA',
      issuer: idps['okta']!.issuer,
      clientId: CLIENT_ID,
      allowedDomains: ['example.com'],
      defaultRole: 'VIEWER',
      enforce: false,
      auth0Organization: null,
      roleMapping: { claim: 'groups', values: { 'switchyard-admins': 'ADMIN' } },
      callbackUrl: `${PUBLIC_URL}/api/v1/auth/callback/${id}`,
      loginUrl: `${PUBLIC_URL}/api/v1/auth/login?connection=${id}`,
    });
    const list = await t.api(pat, 'GET', '/api/v1/orgs/acme/sso-connections');
    expect(list.json.items.map((c: { id: string }) => c.id)).toEqual([id]);
    // enforce stays off here: turned on, it would refuse this PAT (not minted through the org's SSO; see enforcement tests).
    const updated = await t.api(pat, 'PATCH', `/api/v1/orgs/acme/sso-connections/${id}`, {
      name: 'Okta SSO',
      enforce: false,
      defaultRole: 'EDITOR',
    });
    expect(updated.json).toMatchObject({ name: 'Okta SSO', enforce: false, defaultRole: 'EDITOR' });
    // Rotating the secret re-runs discovery and stores the new ciphertext.
    const rotated = 'okta-client-secret-Rotated-9876543210';
    expect(
      (
        await t.api(pat, 'PATCH', `/api/v1/orgs/acme/sso-connections/${id}`, {
          clientSecret: rotated,
        })
      ).status,
    ).toBe(200);
    const responses = JSON.stringify([
      created.json,
      list.json,
      updated.json,
      (await t.api(pat, 'GET', `/api/v1/orgs/acme/sso-connections/${id}`)).json,
    ]);
    const all = await dump(t);
    for (const s of [secret, rotated]) {
      expect(responses.includes(s)).toBe(false);
      expect(all.includes(s), 'plaintext secret in the database').toBe(false);
      expect(all.includes(s.slice(-20))).toBe(false);
    }
    expect(
      await t.db.auditEvent.count({ where: { action: { startsWith: 'sso_connection.' } } }),
    ).toBe(3);
    expect((await t.api(pat, 'DELETE', `/api/v1/orgs/acme/sso-connections/${id}`)).status).toBe(
      204,
    );
    expect((await t.api(pat, 'GET', `/api/v1/orgs/acme/sso-connections/${id}`)).status).toBe(404);
  });

  it("another org's admin cannot see or use this org's connection id", async () => {
    t = await startSsoApp();
    const acme = await t.org('acme', { 'owner@acme.test': 'OWNER' });
    const other = await t.org('other', { 'admin@other.test': 'ADMIN' });
    const created = await t.api(
      acme.pats['owner@acme.test']!,
      'POST',
      '/api/v1/orgs/acme/sso-connections',
      {
        kind: 'OKTA',
        name: 'Okta',
        issuer: idps['okta']!.issuer,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      },
    );
    const id = created.json.id as string;
    const stranger = other.pats['admin@other.test']!;
    expect((await t.api(stranger, 'GET', `/api/v1/orgs/other/sso-connections/${id}`)).status).toBe(
      404,
    );
    expect(
      (
        await t.api(stranger, 'PATCH', `/api/v1/orgs/other/sso-connections/${id}`, {
          enforce: true,
        })
      ).status,
    ).toBe(404);
    expect(
      (await t.api(stranger, 'DELETE', `/api/v1/orgs/other/sso-connections/${id}`)).status,
    ).toBe(404);
    expect(await t.db.ssoConnection.findUniqueOrThrow({ where: { id } })).toMatchObject({
      enforce: false,
      orgId: acme.id,
    });
  });

  it('issuer from a domain: Auth0 gets the trailing slash; a wrong path is a clear 400', async () => {
    t = await startSsoApp();
    const org = await t.org('acme', { 'owner@acme.test': 'OWNER' });
    const pat = org.pats['owner@acme.test']!;
    // The dev-idp listens on http, so the https issuer derived from `domain` is unreachable: a 400 naming the issuer.
    const res = await t.api(pat, 'POST', '/api/v1/orgs/acme/sso-connections', {
      kind: 'AUTH0',
      name: 'A',
      domain: 'login.example.com',
      clientId: 'c',
      clientSecret: 's',
    });
    expect(res.status).toBe(400);
    expect(res.json.details).toEqual([{ path: 'issuer', message: expect.any(String) }]);
    const exact = await t.api(pat, 'POST', '/api/v1/orgs/acme/sso-connections', {
      kind: 'AUTH0',
      name: 'A',
      issuer: idps['auth0']!.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });
    expect(exact.status).toBe(201);
    expect(exact.json.issuer.endsWith('/')).toBe(true);
    const noSlash = await t.api(pat, 'POST', '/api/v1/orgs/acme/sso-connections', {
      kind: 'AUTH0',
      name: 'B',
      issuer: idps['auth0']!.issuer.slice(0, -1),
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });
    expect(noSlash.status).toBe(400);
    expect(noSlash.json.details[0].message).toMatch(/compared exactly/);
  });

  it.each(['production', 'test'])(
    'in %s an org issuer on a non-public address is refused before any request (plain http too in production)',
    async (mode) => {
      t = await startSsoApp({ NODE_ENV: mode, SWITCHYARD_SECRET: 'x'.repeat(40) });
      const org = await t.org('acme', { 'owner@acme.test': 'OWNER' });
      const pat = org.pats['owner@acme.test']!;
      const cases: [string, RegExp][] = [
        ['https://127.0.0.1:8443', /not allowed/],
        ['https://169.254.169.254', /not allowed/],
        ['https://localhost:8443', /not allowed/],
        ['https://[::ffff:127.0.0.1]', /not allowed/],
      ];
      if (mode === 'production') cases.push(['http://idp.example.com', /https/]);
      for (const [issuer, message] of cases) {
        const res = await t.api(pat, 'POST', '/api/v1/orgs/acme/sso-connections', {
          kind: 'OIDC',
          name: 'x',
          issuer,
          clientId: 'c',
          clientSecret: 's',
        });
        expect(res.status, issuer).toBe(400);
        expect(res.json.details[0].message).toMatch(message);
      }
    },
  );

  it('rejects bodies that cannot be a connection', async () => {
    t = await startSsoApp();
    const org = await t.org('acme', { 'owner@acme.test': 'OWNER' });
    const pat = org.pats['owner@acme.test']!;
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'OIDC', name: 'x', clientId: 'c', clientSecret: 's' }, 'body.issuer'],
      [
        {
          kind: 'OIDC',
          name: 'x',
          issuer: 'https://user:pw@idp.example.com',
          clientId: 'c',
          clientSecret: 's',
        },
        'body.issuer',
      ],
      [
        {
          kind: 'OKTA',
          name: 'x',
          issuer: 'https://idp.example.com',
          clientId: 'c',
          clientSecret: 's',
          auth0Organization: 'org_x',
        },
        'body.auth0Organization',
      ],
      [
        {
          kind: 'OIDC',
          name: 'x',
          issuer: 'https://idp.example.com',
          clientId: 'c',
          clientSecret: 's',
          defaultRole: 'OWNER',
        },
        'body.defaultRole',
      ],
      [
        {
          kind: 'SAML',
          name: 'x',
          issuer: 'https://idp.example.com',
          clientId: 'c',
          clientSecret: 's',
        },
        'body.kind',
      ],
    ];
    for (const [body, path] of cases) {
      const res = await t.api(pat, 'POST', '/api/v1/orgs/acme/sso-connections', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.json.details.map((d: { path: string }) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    expect(await t.db.ssoConnection.count()).toBe(0);
  });
});
