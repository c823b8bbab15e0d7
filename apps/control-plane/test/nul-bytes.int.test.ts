import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type Caller, type TestApp } from './harness.js';

/** Postgres refuses NUL in text; such input must be a 400 naming the field, not a 500. */
let t: TestApp;
let owner: Caller;
beforeAll(async () => {
  t = await startApp();
  owner = (await t.org('home', { 'o@example.com': 'OWNER' })).callers['o@example.com']!;
});
afterAll(async () => {
  await t.close();
});

describe('NUL and control characters', () => {
  it.each([
    ['PATCH', '/api/v1/orgs/home', { name: 'a\u0000b' }, 'body.name'],
    ['POST', '/api/v1/me/tokens', { name: 'x\u0000' }, 'body.name'],
    [
      'POST',
      '/api/v1/orgs/home/repositories',
      {
        name: 'r',
        url: 'https://git.example.com/r.git',
        credential: { username: 'u\u0000', secret: 's' },
      },
      'body.credential.username',
    ],
    [
      'POST',
      '/api/v1/orgs/home/members',
      { email: 'a\u0000@example.com', role: 'VIEWER' },
      'body.email',
    ],
  ] as const)('%s %s', async (method, url, body, path) => {
    const res = await t.call(owner, { method, url, body });
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(res.json.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('query filters with NUL are 400', async () => {
    const res = await t.call(owner, {
      method: 'GET',
      url: '/api/v1/orgs/home/audit-events?action=a%00b',
    });
    expect(res.status).toBe(400);
    expect(res.json.details[0].path).toBe('query.action');
  });
});

describe('organisation path parameter', () => {
  it('a value that cannot be a slug is 404 before touching the database', async () => {
    for (const org of ['a%00b', 'UPPER', 'x'.repeat(41), '%E2%9C%93']) {
      const res = await t.call(owner, { method: 'GET', url: `/api/v1/orgs/${org}` });
      expect(res.status, org).toBe(404);
    }
  });
});
