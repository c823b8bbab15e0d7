import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anonymous, startApp, type TestApp } from './harness.js';

let t: TestApp;
beforeEach(async () => {
  t = await startApp();
});
afterEach(async () => {
  await t.close();
});

describe('organisations', () => {
  it('creates, lists, gets, renames and deletes with confirmation', async () => {
    const alice = await t.user('alice@example.com');
    const created = await t.call(alice.pat, {
      method: 'POST',
      url: '/api/v1/orgs',
      body: { slug: 'acme', name: 'Acme' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ slug: 'acme', name: 'Acme', role: 'OWNER' });
    expect(await t.db.instance.count({ where: { orgId: created.json.id } })).toBe(1);
    expect(await t.db.outboxEvent.count({ where: { topic: 'org.created' } })).toBe(1);

    const dup = await t.call(alice.pat, {
      method: 'POST',
      url: '/api/v1/orgs',
      body: { slug: 'acme', name: 'Again' },
    });
    expect(dup.status).toBe(409);
    expect(dup.json.code).toBe('AlreadyExists');

    const list = await t.call(alice.pat, { method: 'GET', url: '/api/v1/orgs' });
    expect(list.json.items.map((o: { slug: string }) => o.slug)).toEqual(['acme']);
    expect((await t.call(alice.pat, { method: 'GET', url: '/api/v1/orgs/acme' })).json.name).toBe(
      'Acme',
    );

    const renamed = await t.call(alice.pat, {
      method: 'PATCH',
      url: '/api/v1/orgs/acme',
      body: { name: 'Acme Inc' },
    });
    expect(renamed.json.name).toBe('Acme Inc');

    const wrong = await t.call(alice.pat, {
      method: 'DELETE',
      url: '/api/v1/orgs/acme',
      body: { confirm: 'acm' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.details).toEqual([{ path: 'body.confirm', message: 'must be "acme"' }]);
    const deleted = await t.call(alice.pat, {
      method: 'DELETE',
      url: '/api/v1/orgs/acme',
      body: { confirm: 'acme' },
    });
    expect(deleted.status).toBe(204);
    expect((await t.call(alice.pat, { method: 'GET', url: '/api/v1/orgs/acme' })).status).toBe(404);
    const trail = await t.db.auditEvent.findMany({ orderBy: { id: 'asc' } });
    expect(trail.map((e) => e.action)).toEqual([
      'pat.create',
      'org.create',
      'org.rename',
      'org.delete',
    ]);
    expect(trail[2]).toMatchObject({
      before: { name: 'Acme' },
      after: { name: 'Acme Inc' },
      actorId: alice.id,
    });
  });

  it('paginates my organisations with a cursor', async () => {
    const bob = await t.user('bob@example.com');
    for (const slug of ['a1', 'a2', 'a3', 'a4', 'a5']) {
      expect(
        (await t.call(bob.pat, { method: 'POST', url: '/api/v1/orgs', body: { slug, name: slug } }))
          .status,
      ).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { json: { items: { slug: string }[]; nextCursor: string | null } } = await t.call(
        bob.pat,
        { method: 'GET', url: `/api/v1/orgs?limit=2${cursor ? `&cursor=${cursor}` : ''}` },
      );
      seen.push(...res.json.items.map((o) => o.slug));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    const bad = await t.call(bob.pat, { method: 'GET', url: '/api/v1/orgs?limit=0&cursor=zzz' });
    expect(bad.status).toBe(400);
    expect(bad.json.details.map((d: { path: string }) => d.path)).toContain('query.limit');
  });

  it('refuses anonymous callers', async () => {
    expect((await t.call(anonymous, { method: 'GET', url: '/api/v1/orgs' })).status).toBe(401);
  });
});
