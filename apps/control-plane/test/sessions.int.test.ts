import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionsService } from '../src/auth/sessions.service.js';
import { mintToken } from '../src/common/secret-token.js';
import { anonymous, CONSOLE_ORIGIN, startApp, type TestApp } from './harness.js';

let t: TestApp;
beforeEach(async () => {
  t = await startApp();
});
afterEach(async () => {
  await t.close();
});

const create = {
  method: 'POST' as const,
  url: '/api/v1/orgs',
  body: { slug: 'acme', name: 'Acme' },
};

describe('cookie sessions', () => {
  it('issues a __Host- cookie with the required attributes and a derived CSRF token', async () => {
    const { id } = await t.user('a@example.com');
    const s = await t.app.get(SessionsService).create(id, { userAgent: 'vitest' });
    expect(s.setCookie).toMatch(/^__Host-switchyard_session=[A-Za-z0-9_-]{43}; /);
    const attrs = s.setCookie.split('; ').slice(1);
    expect(attrs).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'Secure', 'SameSite=Lax']));
    expect(attrs.some((a) => /^domain=/i.test(a))).toBe(false);
    const row = await t.db.session.findUniqueOrThrow({ where: { id: s.id } });
    expect(row.tokenHash).not.toContain(s.secret);

    const session = await t.session(id);
    const res = await t.call(session, { method: 'GET', url: '/api/v1/session' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      user: { email: 'a@example.com' },
      via: 'session',
      csrfToken: session.csrf,
    });
  });

  it('enforces the idle and the absolute timeout and deletes the expired row', async () => {
    const { id } = await t.user('a@example.com');
    const idle = await t.session(id);
    await t.db.session.updateMany({
      where: { userId: id },
      data: { lastSeenAt: new Date(Date.now() - t.config.sessionIdleMs - 1000) },
    });
    expect((await t.call(idle, { method: 'GET', url: '/api/v1/me' })).status).toBe(401);
    expect(await t.db.session.count()).toBe(0);

    const old = await t.session(id);
    await t.db.session.updateMany({
      where: { userId: id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await t.call(old, { method: 'GET', url: '/api/v1/me' })).status).toBe(401);
    expect(await t.db.session.count()).toBe(0);
  });

  it('logout deletes the server-side session and clears the cookie', async () => {
    const { id } = await t.user('a@example.com');
    const s = await t.session(id);
    const out = await t.call(s, { method: 'DELETE', url: '/api/v1/session' });
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(
      /^__Host-switchyard_session=; Path=\/; Max-Age=0; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect(await t.db.session.count()).toBe(0);
    expect(await t.db.auditEvent.count({ where: { action: 'session.delete', actorId: id } })).toBe(
      1,
    );
    const mine = await t.call((await t.user('a@example.com')).pat, {
      method: 'GET',
      url: '/api/v1/me/audit-events?limit=1',
    });
    expect(mine.json.items.map((e: { action: string }) => e.action)).toEqual(['session.delete']);
    expect(mine.json.nextCursor).not.toBeNull();
    const other = await t.call((await t.user('b@example.com')).pat, {
      method: 'GET',
      url: '/api/v1/me/audit-events?action=session.delete',
    });
    expect(other.json.items).toEqual([]);
    expect((await t.call(s, { method: 'GET', url: '/api/v1/me' })).status).toBe(401);
  });

  it('rejects cookie mutations failing any CSRF check, with no side effect', async () => {
    const { id } = await t.user('a@example.com');
    const s = await t.session(id);
    const cases: [string, Record<string, string>][] = [
      ['missing token', { 'x-csrf-token': '' }],
      ['wrong token', { 'x-csrf-token': 'nope' }],
      ['cross-site fetch', { 'sec-fetch-site': 'cross-site' }],
      ['foreign origin', { origin: 'https://evil.example' }],
      ['null origin', { origin: 'null' }],
    ];
    for (const [label, headers] of cases) {
      const res = await t.call(s, { ...create, headers });
      expect(res.status, label).toBe(403);
      expect(res.json.code, label).toBe('PermissionDenied');
    }
    expect(await t.db.organisation.count()).toBe(0);
    const ok = await t.call(s, {
      ...create,
      headers: { 'sec-fetch-site': 'same-origin', origin: CONSOLE_ORIGIN },
    });
    expect(ok.status).toBe(201);
    // Safe methods need no token.
    expect((await t.call(s, { method: 'GET', url: '/api/v1/orgs/acme' })).status).toBe(200);
  });

  it('a cookie for another session cannot reuse a CSRF token', async () => {
    const { id } = await t.user('a@example.com');
    const s1 = await t.session(id);
    const s2 = await t.session(id);
    expect((await t.call(s2, { ...create, headers: { 'x-csrf-token': s1.csrf } })).status).toBe(
      403,
    );
  });
});

describe('personal access tokens', () => {
  it('authenticate without CSRF, record lastUsedAt, and stop working when revoked or expired', async () => {
    const a = await t.user('a@example.com');
    const created = await t.call(a.pat, {
      method: 'POST',
      url: '/api/v1/me/tokens',
      body: { name: 'ci' },
    });
    expect(created.status).toBe(201);
    expect(created.json.token).toMatch(/^sy_pat_[0-9A-Za-z]{30}_[0-9A-Za-z]{6}$/);
    expect(created.json.token.startsWith(created.json.prefix)).toBe(true);
    const ci = { kind: 'pat' as const, token: created.json.token as string, userId: a.id };
    expect((await t.call(ci, create)).status).toBe(201);
    const listed = await t.call(ci, { method: 'GET', url: '/api/v1/me/tokens' });
    expect(listed.json.items).toHaveLength(2);
    expect(JSON.stringify(listed.json)).not.toContain(ci.token);
    expect(
      listed.json.items.find((p: { id: string }) => p.id === created.json.id).lastUsedAt,
    ).not.toBeNull();

    expect(
      (await t.call(a.pat, { method: 'DELETE', url: `/api/v1/me/tokens/${created.json.id}` }))
        .status,
    ).toBe(204);
    expect((await t.call(ci, { method: 'GET', url: '/api/v1/me' })).status).toBe(401);

    const expiring = await t.call(a.pat, {
      method: 'POST',
      url: '/api/v1/me/tokens',
      body: { name: 'short', expiresAt: new Date(Date.now() + 60_000).toISOString() },
    });
    await t.db.personalAccessToken.update({
      where: { id: expiring.json.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    expect(
      (
        await t.call(
          { kind: 'pat', token: expiring.json.token, userId: a.id },
          { method: 'GET', url: '/api/v1/me' },
        )
      ).status,
    ).toBe(401);
  });

  it('refuse malformed, forged-checksum and client tokens as bearer', async () => {
    const a = await t.user('a@example.com');
    const flipped = a.pat.token.slice(0, -1) + (a.pat.token.endsWith('A') ? 'B' : 'A');
    for (const token of ['garbage', flipped, mintToken('pat').secret, mintToken('live').secret]) {
      expect(
        (await t.call({ kind: 'pat', token, userId: a.id }, { method: 'GET', url: '/api/v1/me' }))
          .status,
      ).toBe(401);
    }
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: 'Basic abc' },
    });
    expect(res.statusCode).toBe(401);
    expect((await t.call(anonymous, { method: 'GET', url: '/api/v1/me' })).json).toEqual({
      code: 'Unauthenticated',
      message: 'request was not authenticated',
      details: [],
    });
  });
});

describe('request ids', () => {
  it('echoes a well-formed X-Request-Id, generates one otherwise, and stores it on audit events', async () => {
    const a = await t.user('a@example.com');
    const given = await t.call(a.pat, { ...create, headers: { 'x-request-id': 'req-123' } });
    expect(given.headers['x-request-id']).toBe('req-123');
    expect(
      (await t.db.auditEvent.findFirstOrThrow({ where: { action: 'org.create' } })).requestId,
    ).toBe('req-123');
    const generated = await t.call(anonymous, {
      method: 'GET',
      url: '/api/v1/health',
      headers: { 'x-request-id': 'bad id\twith spaces' },
    });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('readiness', () => {
  it('is 503 Unavailable when the database is gone', async () => {
    const down = await startApp({});
    expect((await down.call(anonymous, { method: 'GET', url: '/api/v1/ready' })).status).toBe(200);
    await down.database.drop();
    const res = await down.call(anonymous, { method: 'GET', url: '/api/v1/ready' });
    expect(res.status).toBe(503);
    expect(res.json.code).toBe('Unavailable');
    await down.close();
  });
});
