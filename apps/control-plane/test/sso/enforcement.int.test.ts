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

/** "Enforce SSO for the org": sessions must come from the org's own connection, and so must the sessions PATs were minted from. */
let idps: Record<string, DevIdp>;
let t: SsoTestApp | undefined;
beforeAll(async () => {
  idps = await startIdps(['generic', 'okta']);
});
afterAll(async () => {
  for (const idp of Object.values(idps)) await idp.close();
});
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function orgRead(app: SsoTestApp, session: string): Promise<number> {
  return (
    await app.app.inject({
      method: 'GET',
      url: '/api/v1/orgs/acme',
      headers: { cookie: `__Host-switchyard_session=${session}` },
    })
  ).statusCode;
}

describe('SSO enforcement', () => {
  it('a platform-login session is refused on an enforcing org; a session from the org connection gets in; PATs minted outside it do not', async () => {
    t = await startSsoApp({
      PLATFORM_OIDC_ISSUER: idps['generic']!.issuer,
      PLATFORM_OIDC_CLIENT_ID: CLIENT_ID,
      PLATFORM_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    });
    const org = await t.org('acme', { 'owner@acme.test': 'OWNER' });
    const pat = org.pats['owner@acme.test']!;
    const created = await t.api(pat, 'POST', '/api/v1/orgs/acme/sso-connections', {
      kind: 'OKTA',
      name: 'Okta',
      issuer: idps['okta']!.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });
    expect(created.status).toBe(201);

    // bob signs in through the platform login and is a member of acme.
    const platform = t.browser();
    expect((await platform.login('platform', 'bob')).status).toBe(302);
    const bob = await t.db.user.findUniqueOrThrow({ where: { email: 'bob@example.com' } });
    await t.db.membership.create({ data: { orgId: org.id, userId: bob.id, role: 'VIEWER' } });
    const bobSession = platform.cookies(PUBLIC_URL).get('__Host-switchyard_session')!;
    expect(await orgRead(t, bobSession)).toBe(200);

    expect(
      (
        await t.api(pat, 'PATCH', `/api/v1/orgs/acme/sso-connections/${created.json.id}`, {
          enforce: true,
        })
      ).status,
    ).toBe(200);
    expect(await orgRead(t, bobSession)).toBe(403);

    // carol arrives through the org's connection (JIT) and gets in.
    const viaOrg = t.browser();
    expect((await viaOrg.login(created.json.id, 'carol')).status).toBe(302);
    expect(await orgRead(t, viaOrg.cookies(PUBLIC_URL).get('__Host-switchyard_session')!)).toBe(
      200,
    );
    // A PAT minted outside the org's SSO (here by the operator) is refused too: enforcement covers every credential, not only sign-ins.
    expect((await t.api(pat, 'GET', '/api/v1/orgs/acme')).status).toBe(403);
  });
});
