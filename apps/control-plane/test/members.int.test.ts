import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './harness.js';

let t: TestApp;
beforeEach(async () => {
  t = await startApp();
});
afterEach(async () => {
  await t.close();
});

const url = '/api/v1/orgs/acme/members';

describe('members', () => {
  it('invites by email, lists, changes role and removes, with audit before/after', async () => {
    const org = await t.org('acme', { 'owner@example.com': 'OWNER', 'admin@example.com': 'ADMIN' });
    const admin = org.callers['admin@example.com']!;
    const invited = await t.call(admin, {
      method: 'POST',
      url,
      body: { email: 'New.User@Example.com', role: 'VIEWER' },
    });
    expect(invited.status).toBe(201);
    expect(invited.json).toMatchObject({ email: 'new.user@example.com', role: 'VIEWER' });
    expect(
      (
        await t.call(admin, {
          method: 'POST',
          url,
          body: { email: 'new.user@example.com', role: 'EDITOR' },
        })
      ).status,
    ).toBe(409);

    const page1 = await t.call(admin, { method: 'GET', url: `${url}?limit=2` });
    expect(page1.json.items).toHaveLength(2);
    const page2 = await t.call(admin, {
      method: 'GET',
      url: `${url}?limit=2&cursor=${page1.json.nextCursor}`,
    });
    expect(page2.json).toMatchObject({
      items: [{ email: 'new.user@example.com' }],
      nextCursor: null,
    });

    const changed = await t.call(admin, {
      method: 'PATCH',
      url: `${url}/${invited.json.userId}`,
      body: { role: 'EDITOR' },
    });
    expect(changed.json.role).toBe('EDITOR');
    expect(
      (await t.call(admin, { method: 'DELETE', url: `${url}/${invited.json.userId}` })).status,
    ).toBe(204);
    expect(
      (await t.call(admin, { method: 'DELETE', url: `${url}/${invited.json.userId}` })).status,
    ).toBe(404);

    const events = await t.db.auditEvent.findMany({
      where: { orgId: org.id },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => e.action)).toEqual([
      'member.invite',
      'member.role_change',
      'member.remove',
    ]);
    expect(events[1]).toMatchObject({
      before: { role: 'VIEWER' },
      after: { role: 'EDITOR' },
      targetId: invited.json.userId,
    });
  });

  it('keeps at least one owner and reserves the OWNER role to owners', async () => {
    const org = await t.org('acme', { 'owner@example.com': 'OWNER', 'admin@example.com': 'ADMIN' });
    const owner = org.callers['owner@example.com']!;
    const admin = org.callers['admin@example.com']!;
    const ownerId = owner.userId;

    for (const req of [
      { method: 'PATCH' as const, url: `${url}/${ownerId}`, body: { role: 'ADMIN' } },
      { method: 'DELETE' as const, url: `${url}/${ownerId}` },
      { method: 'POST' as const, url: '/api/v1/orgs/acme/leave' },
    ]) {
      const res = await t.call(owner, req);
      expect(res.status, req.url).toBe(412);
      expect(res.json.code).toBe('FailedPrecondition');
    }
    expect(
      (await t.call(admin, { method: 'PATCH', url: `${url}/${ownerId}`, body: { role: 'VIEWER' } }))
        .status,
    ).toBe(403);
    expect((await t.call(admin, { method: 'DELETE', url: `${url}/${ownerId}` })).status).toBe(403);
    expect(
      (
        await t.call(admin, {
          method: 'PATCH',
          url: `${url}/${admin.userId}`,
          body: { role: 'OWNER' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await t.call(admin, {
          method: 'POST',
          url,
          body: { email: 'x@example.com', role: 'OWNER' },
        })
      ).status,
    ).toBe(403);

    // Hand-over: promote, then the old owner may step down and leave.
    expect(
      (
        await t.call(owner, {
          method: 'PATCH',
          url: `${url}/${admin.userId}`,
          body: { role: 'OWNER' },
        })
      ).status,
    ).toBe(200);
    expect((await t.call(owner, { method: 'POST', url: '/api/v1/orgs/acme/leave' })).status).toBe(
      204,
    );
    expect((await t.call(owner, { method: 'GET', url: '/api/v1/orgs/acme' })).status).toBe(404);
    expect((await t.call(admin, { method: 'POST', url: '/api/v1/orgs/acme/leave' })).status).toBe(
      412,
    );
    expect(await t.db.membership.count({ where: { orgId: org.id, role: 'OWNER' } })).toBe(1);
  });

  it('two owners demoting each other concurrently cannot leave the org without an owner', async () => {
    const org = await t.org('acme', { 'o1@example.com': 'OWNER', 'o2@example.com': 'OWNER' });
    const o1 = org.callers['o1@example.com']!;
    const o2 = org.callers['o2@example.com']!;
    const results = await Promise.all([
      t.call(o1, { method: 'PATCH', url: `${url}/${o2.userId}`, body: { role: 'ADMIN' } }),
      t.call(o2, { method: 'PATCH', url: `${url}/${o1.userId}`, body: { role: 'ADMIN' } }),
    ]);
    expect(await t.db.membership.count({ where: { orgId: org.id, role: 'OWNER' } })).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([200, 403].sort());
  });
});
