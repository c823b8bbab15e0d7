import type { DevIdp } from '@switchyard/dev-idp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  startIdps,
  startSsoApp,
  type SsoTestApp,
} from './sso-harness.js';

let idp: DevIdp;
let t: SsoTestApp | undefined;
beforeAll(async () => {
  idp = (await startIdps(['okta']))['okta']!;
});
afterAll(async () => {
  await idp?.close();
});
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function acme() {
  t = await startSsoApp();
  const org = await t.org('acme', { 'owner@acme.test': 'OWNER', 'admin@acme.test': 'ADMIN' });
  await t.verifiedDomain(org.id, 'example.com');
  const owner = org.pats['owner@acme.test']!;
  const admin = org.pats['admin@acme.test']!;
  const base = {
    kind: 'OKTA',
    name: 'Okta',
    issuer: idp.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  };
  return { app: t, orgId: org.id, owner, admin, base };
}

const toOwner = { roleMapping: { values: { 'switchyard-admins': 'OWNER' } } };

describe('issue 10 item 2: ADMIN → OWNER through an SSO role mapping', () => {
  it('an ADMIN saving a mapping group → OWNER gets 403 and nothing is saved; an OWNER can', async () => {
    const { app, owner, admin, base } = await acme();
    const refused = await app.api(admin, 'POST', '/api/v1/orgs/acme/sso-connections', {
      ...base,
      ...toOwner,
    });
    expect(refused.status, JSON.stringify(refused.json)).toBe(403);
    expect(refused.json).toMatchObject({
      code: 'PermissionDenied',
      message: expect.stringContaining('roleMapping.values.switchyard-admins'),
    });
    expect(await app.db.ssoConnection.count()).toBe(0);
    // defaultRole OWNER is not a valid default for anyone (400), whoever saves it.
    for (const pat of [admin, owner])
      expect(
        (
          await app.api(pat, 'POST', '/api/v1/orgs/acme/sso-connections', {
            ...base,
            defaultRole: 'OWNER',
          })
        ).status,
      ).toBe(400);

    // The admin's own connection cannot be raised to OWNER by the admin either (PATCH).
    const own = await app.api(admin, 'POST', '/api/v1/orgs/acme/sso-connections', {
      ...base,
      roleMapping: { values: { 'switchyard-admins': 'ADMIN' } },
    });
    expect(own.status).toBe(201);
    expect(
      (await app.api(admin, 'PATCH', `/api/v1/orgs/acme/sso-connections/${own.json.id}`, toOwner))
        .status,
    ).toBe(403);
    expect(
      (await app.db.ssoConnection.findUniqueOrThrow({ where: { id: own.json.id } })).roleMapping,
    ).toMatchObject({ values: { 'switchyard-admins': 'ADMIN' } });

    const byOwner = await app.api(owner, 'POST', '/api/v1/orgs/acme/sso-connections', {
      ...base,
      ...toOwner,
    });
    expect(byOwner.status, JSON.stringify(byOwner.json)).toBe(201);
    // An owner's OWNER mapping is not the admin's to re-save (any field): the saver takes over every grant.
    expect(
      (
        await app.api(admin, 'PATCH', `/api/v1/orgs/acme/sso-connections/${byOwner.json.id}`, {
          name: 'Renamed',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await app.api(owner, 'PATCH', `/api/v1/orgs/acme/sso-connections/${byOwner.json.id}`, {
          name: 'Renamed',
        })
      ).status,
    ).toBe(200);
  });

  it('the login grants the mapped OWNER only when an OWNER saved the mapping', async () => {
    const { app, orgId, owner, base } = await acme();
    const conn = await app.api(owner, 'POST', '/api/v1/orgs/acme/sso-connections', {
      ...base,
      ...toOwner,
    });
    expect(conn.status).toBe(201);
    // A row saved before the check existed (savedByRole defaults to ADMIN): its OWNER mapping grants nothing.
    await app.db.ssoConnection.update({
      where: { id: conn.json.id },
      data: { savedByRole: 'ADMIN' },
    });
    const refused = await app.browser().login(conn.json.id, 'alice');
    expect(refused.status, refused.body).toBe(401);
    expect(app.failures().map((f) => f['reason'])).toContainEqual(
      expect.stringContaining('above the role of whoever saved it (ADMIN)'),
    );
    expect(
      await app.db.membership.count({ where: { orgId, user: { email: 'alice@example.com' } } }),
    ).toBe(0);

    await app.db.ssoConnection.update({
      where: { id: conn.json.id },
      data: { savedByRole: 'OWNER' },
    });
    expect((await app.browser().login(conn.json.id, 'alice')).status).toBe(302);
    expect(
      (
        await app.db.membership.findFirstOrThrow({
          where: { orgId, user: { email: 'alice@example.com' } },
        })
      ).role,
    ).toBe('OWNER');
  });

  it('members API: the same check refuses an ADMIN inviting, promoting or demoting an OWNER', async () => {
    const { app, owner, admin } = await acme();
    const invite = await app.api(admin, 'POST', '/api/v1/orgs/acme/members', {
      email: 'new@acme.test',
      role: 'OWNER',
    });
    expect(invite.status).toBe(403);
    expect(invite.json.message).toContain('cannot grant OWNER');
    const editor = await app.api(admin, 'POST', '/api/v1/orgs/acme/members', {
      email: 'ed@acme.test',
      role: 'EDITOR',
    });
    expect(editor.status).toBe(201);
    expect(
      (
        await app.api(admin, 'PATCH', `/api/v1/orgs/acme/members/${editor.json.userId}`, {
          role: 'OWNER',
        })
      ).status,
    ).toBe(403);
    const ownerId = (await app.db.user.findUniqueOrThrow({ where: { email: 'owner@acme.test' } }))
      .id;
    expect(
      (await app.api(admin, 'PATCH', `/api/v1/orgs/acme/members/${ownerId}`, { role: 'VIEWER' }))
        .status,
    ).toBe(403);
    expect(
      (
        await app.api(owner, 'PATCH', `/api/v1/orgs/acme/members/${editor.json.userId}`, {
          role: 'OWNER',
        })
      ).status,
    ).toBe(200);
  });
});
