import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './harness.js';

let t: TestApp;
beforeEach(async () => {
  t = await startApp();
});
afterEach(async () => {
  await t.close();
});

describe('Idempotency-Key', () => {
  it('replays the original response (including a show-once secret) and creates once', async () => {
    const org = await t.org('acme', { 'admin@example.com': 'ADMIN' });
    const admin = org.callers['admin@example.com']!;
    await t.call(admin, {
      method: 'POST',
      url: '/api/v1/orgs/acme/environments',
      body: { key: 'prod', name: 'Prod' },
    });
    const req = {
      method: 'POST' as const,
      url: '/api/v1/orgs/acme/client-tokens',
      body: { name: 'web', environments: ['prod'] },
      headers: { 'idempotency-key': 'k-1' },
    };
    const first = await t.call(admin, req);
    const second = await t.call(admin, { ...req, body: { environments: ['prod'], name: 'web' } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await t.db.clientToken.count()).toBe(1);
    expect(await t.db.auditEvent.count({ where: { action: 'client_token.create' } })).toBe(1);
  });

  it('answers 422 when the key is reused with a different request', async () => {
    const a = await t.user('a@example.com');
    const first = await t.call(a.pat, {
      method: 'POST',
      url: '/api/v1/orgs',
      body: { slug: 'one', name: 'One' },
      headers: { 'idempotency-key': 'same' },
    });
    expect(first.status).toBe(201);
    const reuse = await t.call(a.pat, {
      method: 'POST',
      url: '/api/v1/orgs',
      body: { slug: 'two', name: 'Two' },
      headers: { 'idempotency-key': 'same' },
    });
    expect(reuse.status).toBe(422);
    expect(reuse.json).toMatchObject({
      code: 'InvalidArgument',
      details: [{ path: 'headers.idempotency-key' }],
    });
    expect(await t.db.organisation.count()).toBe(1);
  });

  it('scopes keys per user, releases the key after a failure, and rejects malformed keys', async () => {
    const a = await t.user('a@example.com');
    const b = await t.user('b@example.com');
    const headers = { 'idempotency-key': 'shared' };
    expect(
      (
        await t.call(a.pat, {
          method: 'POST',
          url: '/api/v1/orgs',
          body: { slug: 'a-org', name: 'A' },
          headers,
        })
      ).status,
    ).toBe(201);
    // Same key, other user, a request that fails (slug taken): nothing is stored for it...
    expect(
      (
        await t.call(b.pat, {
          method: 'POST',
          url: '/api/v1/orgs',
          body: { slug: 'a-org', name: 'A' },
          headers,
        })
      ).status,
    ).toBe(409);
    // ...so the same key can be used again by that user.
    expect(
      (
        await t.call(b.pat, {
          method: 'POST',
          url: '/api/v1/orgs',
          body: { slug: 'b-org', name: 'B' },
          headers,
        })
      ).status,
    ).toBe(201);
    const bad = await t.call(a.pat, {
      method: 'POST',
      url: '/api/v1/orgs',
      body: { slug: 'c-org', name: 'C' },
      headers: { 'idempotency-key': 'x'.repeat(256) },
    });
    expect(bad.status).toBe(400);
    expect(await t.db.idempotencyRecord.count()).toBe(2);
  });

  it('lets only one of two concurrent requests with the same key run', async () => {
    const a = await t.user('a@example.com');
    const req = {
      method: 'POST' as const,
      url: '/api/v1/orgs',
      body: { slug: 'race', name: 'Race' },
      headers: { 'idempotency-key': 'race' },
    };
    const results = await Promise.all([t.call(a.pat, req), t.call(a.pat, req), t.call(a.pat, req)]);
    expect(await t.db.organisation.count()).toBe(1);
    for (const r of results) expect([201, 409]).toContain(r.status);
    expect(results.filter((r) => r.status === 201).every((r) => r.json.slug === 'race')).toBe(true);
  });

  it('forgets keys after 24 hours', async () => {
    const a = await t.user('a@example.com');
    const headers = { 'idempotency-key': 'old' };
    await t.call(a.pat, { method: 'POST', url: '/api/v1/me/tokens', body: { name: 'x' }, headers });
    await t.db.idempotencyRecord.updateMany({
      data: { createdAt: new Date(Date.now() - 25 * 3_600_000) },
    });
    const again = await t.call(a.pat, {
      method: 'POST',
      url: '/api/v1/me/tokens',
      body: { name: 'y' },
      headers,
    });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(await t.db.personalAccessToken.count({ where: { name: { in: ['x', 'y'] } } })).toBe(2);
  });

  it('without a key, each POST creates', async () => {
    const a = await t.user('a@example.com');
    await t.call(a.pat, { method: 'POST', url: '/api/v1/me/tokens', body: { name: 'x' } });
    await t.call(a.pat, { method: 'POST', url: '/api/v1/me/tokens', body: { name: 'x' } });
    expect(await t.db.personalAccessToken.count({ where: { name: 'x' } })).toBe(2);
  });
});
