import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionsService } from '../src/auth/sessions.service.js';
import { startApp, type Caller, type TestApp } from './harness.js';

/** Issue 11: `/account` lists the user's sessions and revokes them. */
let t: TestApp;
beforeEach(async () => {
  t = await startApp();
});
afterEach(async () => {
  await t.close();
});

async function sessionOf(
  userId: string,
  options: { userAgent?: string; ip?: string } = {},
): Promise<Caller & { kind: 'session'; id: string }> {
  const s = await t.app.get(SessionsService).create(userId, options);
  return {
    kind: 'session',
    cookie: `__Host-switchyard_session=${s.secret}`,
    csrf: s.csrfToken,
    userId,
    id: s.id,
  };
}

const list = { method: 'GET' as const, url: '/api/v1/me/sessions' };
const revoke = (id: string) => ({ method: 'DELETE' as const, url: `/api/v1/me/sessions/${id}` });

describe('GET /api/v1/me/sessions', () => {
  it('lists my live sessions, most recent first, the current one marked, with user agent and address', async () => {
    const a = await t.user('a@example.com');
    const b = await t.user('b@example.com');
    const laptop = await sessionOf(a.id, {
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0',
      ip: '203.0.113.7',
    });
    await t.db.session.update({
      where: { id: laptop.id },
      data: { lastSeenAt: new Date(Date.now() - 30 * 60_000) },
    });
    const phone = await sessionOf(a.id, {
      userAgent: 'Mozilla/5.0 (iPhone) Safari',
      ip: '198.51.100.2',
    });
    await sessionOf(b.id);
    // Past its absolute lifetime or idle too long: not listed.
    const expired = await sessionOf(a.id);
    await t.db.session.update({
      where: { id: expired.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    const idle = await sessionOf(a.id);
    await t.db.session.update({
      where: { id: idle.id },
      data: { lastSeenAt: new Date(Date.now() - t.config.sessionIdleMs - 1000) },
    });

    const res = await t.call(phone, list);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.items.map((s: { id: string }) => s.id)).toEqual([phone.id, laptop.id]);
    expect(res.json.items[0]).toMatchObject({
      current: true,
      userAgent: 'Mozilla/5.0 (iPhone) Safari',
      ip: '198.51.100.2',
      signedInWith: null,
    });
    expect(res.json.items[1]).toMatchObject({ current: false, ip: '203.0.113.7' });
    for (const s of res.json.items)
      for (const k of ['createdAt', 'lastSeenAt', 'expiresAt'])
        expect(Date.parse(s[k])).not.toBeNaN();
    // Nothing secret is listed.
    expect(JSON.stringify(res.json)).not.toContain(phone.cookie.split('=')[1]);

    // With a PAT no session is current.
    const viaPat = await t.call(a.pat, list);
    expect(viaPat.json.items.every((s: { current: boolean }) => !s.current)).toBe(true);
  });
});

describe('DELETE /api/v1/me/sessions/{id}', () => {
  it('revokes another of my sessions: it is refused at once, mine keeps working, the revocation is audited', async () => {
    const a = await t.user('a@example.com');
    const mine = await sessionOf(a.id);
    const other = await sessionOf(a.id);
    const res = await t.call(mine, revoke(other.id));
    expect(res.status).toBe(204);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await t.call(other, { method: 'GET', url: '/api/v1/me' })).status).toBe(401);
    expect((await t.call(mine, { method: 'GET', url: '/api/v1/me' })).status).toBe(200);
    expect(
      await t.db.auditEvent.count({
        where: { action: 'session.delete', targetId: other.id, actorId: a.id },
      }),
    ).toBe(1);
    // Again: it is gone.
    expect((await t.call(mine, revoke(other.id))).status).toBe(404);
  });

  it('revoking the current session signs out: the cookie is cleared and refused', async () => {
    const a = await t.user('a@example.com');
    const mine = await sessionOf(a.id);
    const res = await t.call(mine, revoke(mine.id));
    expect(res.status).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(
      /^__Host-switchyard_session=; Path=\/; Max-Age=0;/,
    );
    expect((await t.call(mine, list)).status).toBe(401);
  });

  it("another user's session is NotFound and stays signed in; a malformed id is a 400; the CSRF header is required", async () => {
    const a = await t.user('a@example.com');
    const b = await t.user('b@example.com');
    const mine = await sessionOf(a.id);
    const theirs = await sessionOf(b.id);
    const res = await t.call(mine, revoke(theirs.id));
    expect(res.status).toBe(404);
    expect((await t.call(theirs, { method: 'GET', url: '/api/v1/me' })).status).toBe(200);
    const bad = await t.call(mine, revoke('not-an-id'));
    expect(bad.status).toBe(400);
    expect(bad.json.details[0].path).toMatch(/sessionId/);
    const noCsrf = await t.call(mine, { ...revoke(mine.id), headers: { 'x-csrf-token': 'wrong' } });
    expect(noCsrf.status).toBe(403);
    expect(await t.db.session.count({ where: { id: mine.id } })).toBe(1);
  });
});
