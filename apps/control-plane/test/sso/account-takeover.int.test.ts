import type { DevIdp } from '@switchyard/dev-idp';
import { startDnsServer, type DnsServer } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  PUBLIC_URL,
  startIdps,
  startOrgIdp,
  startSsoApp,
  type Browser,
  type SsoTestApp,
} from './sso-harness.js';

const SESSION = '__Host-switchyard_session';

// The operator's IdP (platform login: alice, bob, carol @example.com) and org A's own IdP, where A's
// owner decides every claim: here, e-mail addresses of people who belong to organisation B.
let platformIdp: DevIdp;
let idpA: DevIdp;
let dns: DnsServer;
let t: SsoTestApp;
let a: { id: string; pat: string; connectionId: string };
let b: { id: string; pat: string };

beforeAll(async () => {
  platformIdp = (await startIdps(['generic']))['generic']!;
  idpA = await startOrgIdp([
    { sub: 'a-bob', email: 'bob@example.com', name: 'Bob (forged by A)' },
    { sub: 'a-carol', email: 'carol@example.com', name: 'Carol (forged by A)' },
    { sub: 'a-dave', email: 'dave@example.com', name: 'Dave' },
    { sub: 'a-erin', email: 'erin@a-corp.example', name: 'Erin' },
    { sub: 'a-frank', email: 'frank@a-corp.example', name: 'Frank' },
  ]);
  dns = await startDnsServer();
});
afterAll(async () => {
  await idpA?.close();
  await platformIdp?.close();
  await dns?.close();
});
beforeEach(async () => {
  dns.clear();
  t = await startSsoApp({
    PLATFORM_OIDC_ISSUER: platformIdp.issuer,
    PLATFORM_OIDC_CLIENT_ID: CLIENT_ID,
    PLATFORM_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    DNS_RESOLVERS: dns.address,
  });
  const orgA = await t.org('org-a', { 'mallory@a-corp.example': 'OWNER' });
  const orgB = await t.org('org-b', { 'bob@example.com': 'OWNER' });
  a = { id: orgA.id, pat: orgA.pats['mallory@a-corp.example']!, connectionId: '' };
  b = { id: orgB.id, pat: orgB.pats['bob@example.com']! };
  // A's owner points a connection at A's own IdP and restricts it to the victims' domain.
  const res = await t.api(a.pat, 'POST', '/api/v1/orgs/org-a/sso-connections', {
    kind: 'OIDC',
    name: 'A',
    issuer: idpA.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    allowedDomains: ['example.com', 'a-corp.example'],
    defaultRole: 'ADMIN',
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  a.connectionId = res.json.id as string;
});
afterEach(async () => {
  await t?.close();
});

const account = (email: string) =>
  t.db.user.findUniqueOrThrow({
    where: { email },
    include: { identities: true, memberships: true },
  });

/** The browser holds no session, and whatever it sends cannot read B. */
async function noSession(browser: Browser): Promise<void> {
  expect(browser.cookies(PUBLIC_URL).get(SESSION)).toBeUndefined();
  expect((await browser.request(`${PUBLIC_URL}/api/v1/orgs/org-b`)).status).toBe(401);
  expect((await browser.request(`${PUBLIC_URL}/api/v1/me`)).status).toBe(401);
}

function refusedForExistingAccount(res: { status: number; body: string }): void {
  expect(res.status, res.body).toBe(409);
  const body = JSON.parse(res.body) as { code: string; message: string };
  expect(body.code).toBe('Conflict');
  expect(body.message).toMatch(/already exists.*sign in the way you usually do.*link/i);
}

describe('issue 10 item 1: cross-tenant account takeover through SSO e-mail linking', () => {
  it("A's connection cannot sign in as bob@example.com, owner of B who never used SSO; Bob keeps his account", async () => {
    const before = await account('bob@example.com');
    expect(before.identities).toEqual([]);
    const attacker = t.browser('10.0.0.66');
    refusedForExistingAccount(await attacker.login(a.connectionId, 'a-bob', '/orgs/org-b'));
    await noSession(attacker);

    const after = await account('bob@example.com');
    expect(after).toEqual(before);
    expect(await t.db.identity.count({ where: { issuer: idpA.issuer } })).toBe(0);
    expect(await t.db.membership.count({ where: { orgId: a.id } })).toBe(1);
    expect(await t.db.session.count({ where: { userId: before.id } })).toBe(0);
    expect(
      t
        .failures()
        .some((l) =>
          String(l['reason']).includes('bob@example.com belongs to an existing account'),
        ),
    ).toBe(true);

    // The real Bob is not locked out: his token reads B, and he signs in through the operator's IdP.
    expect((await t.api(b.pat, 'GET', '/api/v1/orgs/org-b')).status).toBe(200);
    const bob = t.browser();
    const login = await bob.login('platform', 'bob', '/orgs/org-b');
    expect(login.status, login.body).toBe(302);
    expect((await bob.request(`${PUBLIC_URL}/api/v1/orgs/org-b`)).status).toBe(200);
    expect((await account('bob@example.com')).identities).toEqual([
      expect.objectContaining({ issuer: platformIdp.issuer, subject: 'bob' }),
    ]);
  });

  it("A's connection cannot claim an address B invited that has not signed in yet", async () => {
    const invite = await t.api(b.pat, 'POST', '/api/v1/orgs/org-b/members', {
      email: 'carol@example.com',
      role: 'EDITOR',
    });
    expect(invite.status, JSON.stringify(invite.json)).toBe(201);
    const invited = await account('carol@example.com');
    const attacker = t.browser('10.0.0.66');
    refusedForExistingAccount(await attacker.login(a.connectionId, 'a-carol', '/orgs/org-b'));
    await noSession(attacker);
    expect(await account('carol@example.com')).toEqual(invited);
    expect(invited.memberships).toEqual([expect.objectContaining({ orgId: b.id, role: 'EDITOR' })]);

    // The invitation still belongs to Carol: her first login through the operator's IdP takes it.
    const carol = t.browser();
    expect((await carol.login('platform', 'carol')).status).toBe(302);
    expect((await carol.request(`${PUBLIC_URL}/api/v1/orgs/org-b`)).status).toBe(200);
    expect((await account('carol@example.com')).id).toBe(invited.id);
  });

  it('a new e-mail of an unverified domain gets an account keyed by (issuer, subject) that never holds the address', async () => {
    const browser = t.browser();
    const res = await browser.login(a.connectionId, 'a-dave');
    expect(res.status, res.body).toBe(302);
    const identity = await t.db.identity.findUniqueOrThrow({
      where: { issuer_subject: { issuer: idpA.issuer, subject: 'a-dave' } },
      include: { user: { include: { memberships: true } } },
    });
    expect(identity.email).toBe('dave@example.com');
    expect(identity.user.email).toMatch(/^[0-9a-f-]{36}@unverified\.switchyard\.invalid$/);
    expect(identity.user.memberships).toEqual([
      expect.objectContaining({ orgId: a.id, role: 'ADMIN' }),
    ]);
    // B invites the real dave@example.com: a separate account, never A's.
    const invite = await t.api(b.pat, 'POST', '/api/v1/orgs/org-b/members', {
      email: 'dave@example.com',
      role: 'VIEWER',
    });
    expect(invite.status).toBe(201);
    expect(invite.json.userId).not.toBe(identity.userId);
    expect((await browser.request(`${PUBLIC_URL}/api/v1/orgs/org-b`)).status).toBe(404);
    // The placeholder address cannot be invited either.
    expect(
      (
        await t.api(b.pat, 'POST', '/api/v1/orgs/org-b/members', {
          email: identity.user.email,
          role: 'VIEWER',
        })
      ).status,
    ).toBe(400);
  });

  it('after A verifies a domain it owns (TXT on the loopback DNS server), its connection provisions and links that domain only', async () => {
    // Erin signs in before the domain is verified: an account without her address.
    expect((await t.browser().login(a.connectionId, 'a-erin')).status).toBe(302);
    const erinId = (
      await t.db.identity.findUniqueOrThrow({
        where: { issuer_subject: { issuer: idpA.issuer, subject: 'a-erin' } },
      })
    ).userId;
    expect((await t.db.user.findUniqueOrThrow({ where: { id: erinId } })).email).toMatch(
      /@unverified\.switchyard\.invalid$/,
    );

    const created = await t.api(a.pat, 'POST', '/api/v1/orgs/org-a/domains', {
      domain: 'a-corp.example',
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json).toMatchObject({
      status: 'pending',
      verification: {
        type: 'TXT',
        name: '_switchyard-challenge.a-corp.example',
        value: expect.stringMatching(/^switchyard-domain-verification=/),
      },
    });
    const verifyUrl = `/api/v1/orgs/org-a/domains/${created.json.id}/verify`;
    expect((await t.api(a.pat, 'POST', verifyUrl)).status).toBe(412);
    dns.set(created.json.verification.name, {
      TXT: ['unrelated', created.json.verification.value],
    });
    const verified = await t.api(a.pat, 'POST', verifyUrl);
    expect(verified.status, JSON.stringify(verified.json)).toBe(200);
    expect(verified.json).toMatchObject({ status: 'verified', verifiedAt: expect.any(String) });
    expect(
      dns.queries.filter(
        (q) => q.name === '_switchyard-challenge.a-corp.example' && q.type === 'TXT',
      ).length,
    ).toBeGreaterThanOrEqual(2);

    // Users of the verified domain hold their real address: Erin's account takes it at her next login.
    expect((await t.browser().login(a.connectionId, 'a-erin')).status).toBe(302);
    expect(await account('erin@a-corp.example')).toMatchObject({
      id: erinId,
      memberships: [expect.objectContaining({ orgId: a.id, role: 'ADMIN' })],
    });
    // An invited account of the verified domain (even B's invitation) is linked: A owns the address.
    const invite = await t.api(b.pat, 'POST', '/api/v1/orgs/org-b/members', {
      email: 'frank@a-corp.example',
      role: 'VIEWER',
    });
    expect((await t.browser().login(a.connectionId, 'a-frank')).status).toBe(302);
    expect((await account('frank@a-corp.example')).id).toBe(invite.json.userId);
    // example.com is still not A's: Bob stays refused.
    refusedForExistingAccount(await t.browser().login(a.connectionId, 'a-bob'));

    // B cannot verify a-corp.example while A holds it, even with its own record published.
    const claim = await t.api(b.pat, 'POST', '/api/v1/orgs/org-b/domains', {
      domain: 'a-corp.example',
    });
    dns.set(claim.json.verification.name, {
      TXT: [created.json.verification.value, claim.json.verification.value],
    });
    const taken = await t.api(b.pat, 'POST', `/api/v1/orgs/org-b/domains/${claim.json.id}/verify`);
    expect(taken.status, JSON.stringify(taken.json)).toBe(409);
    const audit = await t.db.auditEvent.findMany({
      where: { orgId: a.id, action: { startsWith: 'domain.' } },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((e) => e.action)).toEqual(['domain.create', 'domain.verify']);
  });

  it('linking needs the account owner signed in to both: session + CSRF token start it, the callback attaches the identity', async () => {
    const bob = t.browser();
    expect((await bob.login('platform', 'bob')).status).toBe(302);
    const csrf = JSON.parse((await bob.request(`${PUBLIC_URL}/api/v1/session`)).body)
      .csrfToken as string;
    // Without the CSRF token (what a cross-site page could trigger) or without a session: refused.
    expect(
      (await bob.request(`${PUBLIC_URL}/api/v1/auth/login?connection=${a.connectionId}&link=1`))
        .status,
    ).toBe(403);
    expect(
      (
        await t
          .browser()
          .request(
            `${PUBLIC_URL}/api/v1/auth/login?connection=${a.connectionId}&link=1&csrf=${csrf}`,
          )
      ).status,
    ).toBe(401);

    const linked = await bob.request(
      await bob.authorize(
        a.connectionId,
        'a-bob',
        '/settings',
        `&link=1&csrf=${encodeURIComponent(csrf)}`,
      ),
    );
    expect(linked.status, linked.body).toBe(302);
    const bobAccount = await account('bob@example.com');
    expect(bobAccount.identities.map((i) => i.issuer).sort()).toEqual(
      [idpA.issuer, platformIdp.issuer].sort(),
    );
    expect(
      await t.db.auditEvent.count({ where: { action: 'identity.link', targetId: bobAccount.id } }),
    ).toBe(1);
    // From now on A's IdP signs Bob in (and A's connection made him a member of A).
    const again = t.browser();
    expect((await again.login(a.connectionId, 'a-bob')).status).toBe(302);
    expect(JSON.parse((await again.request(`${PUBLIC_URL}/api/v1/me`)).body).id).toBe(
      bobAccount.id,
    );

    // An identity that already belongs to another account is never moved.
    expect((await t.browser().login(a.connectionId, 'a-dave')).status).toBe(302);
    bob.jar.delete(new URL(idpA.origin).host); // sign out at A's IdP, so the next authorization asks who logs in
    const csrf2 = JSON.parse((await bob.request(`${PUBLIC_URL}/api/v1/session`)).body)
      .csrfToken as string;
    const steal = await bob.request(
      await bob.authorize(
        a.connectionId,
        'a-dave',
        '/',
        `&link=1&csrf=${encodeURIComponent(csrf2)}`,
      ),
    );
    expect(steal.status, steal.body).toBe(409);
    const dave = await t.db.identity.findUniqueOrThrow({
      where: { issuer_subject: { issuer: idpA.issuer, subject: 'a-dave' } },
    });
    expect(dave.userId).not.toBe(bobAccount.id);
    expect(
      t
        .failures()
        .some((l) => l['reason'] === 'link: the identity already belongs to another account'),
    ).toBe(true);
  });
});
