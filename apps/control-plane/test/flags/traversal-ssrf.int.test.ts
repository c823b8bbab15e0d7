import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsFixture, type FlagsFixture } from './flags-helpers.js';

/**
 * T4/T5/B11 through the API: rows that slipped past save-time validation (older data, direct
 * database edits) are still refused when the control plane connects or reads, and a canary
 * listener on loopback never sees a connection.
 */
let f: FlagsFixture;
let canary: Server;
let hits = 0;
let port = 0;
beforeAll(async () => {
  f = await flagsFixture([]);
  canary = createServer((s) => {
    hits += 1;
    s.destroy();
  });
  await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
  port = (canary.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((r) => canary.close(() => r()));
  await f.t.close();
});

async function envRow(
  key: string,
  data: { directory?: string; branch?: string; url?: string },
): Promise<void> {
  const org = await f.t.db.organisation.findUniqueOrThrow({ where: { slug: 'home' } });
  const repo = data.url
    ? await f.t.db.gitRepository.create({ data: { orgId: org.id, name: key, url: data.url } })
    : null;
  await f.t.db.environment.create({
    data: {
      orgId: org.id,
      key,
      name: key,
      repositoryId: repo?.id ?? null,
      directory: data.directory ?? '',
      branch: data.branch ?? 'main',
    },
  });
}

describe('stored hostile settings are refused at use time', () => {
  it('path traversal in the environment directory (T5) and option-looking branches never reach git', async () => {
    const cases: [string, { directory?: string; branch?: string }][] = [
      ['t1', { directory: '../../etc' }],
      ['t2', { directory: '/etc' }],
      ['t3', { directory: 'a/.git/hooks' }],
      ['t4', { directory: 'a\\..\\b' }],
      ['t5', { branch: '--upload-pack=touch /tmp/pwned' }],
      ['t6', { branch: 'a..b' }],
    ];
    for (const [key, data] of cases) {
      await envRow(key, data);
      const res = await f.t.call(f.viewer, { method: 'GET', url: `${f.base(key)}/namespaces` });
      expect([400, 412], `${key}: ${JSON.stringify(res.json)}`).toContain(res.status);
    }
  });

  it('connect-time SSRF defence: loopback, metadata and rebinding-style URLs are refused and the canary receives nothing (B11)', async () => {
    const urls = [
      `https://127.0.0.1:${port}/r.git`,
      `https://localhost:${port}/r.git`,
      `http://127.0.0.1:${port}/r.git`,
      `https://[::1]:${port}/r.git`,
      'https://169.254.169.254/latest/meta-data',
      `ext::sh -c nc% 127.0.0.1% ${port}`,
      `file:///tmp/r.git`,
    ];
    let i = 0;
    for (const url of urls) {
      const key = `s${++i}`;
      await envRow(key, { url });
      const res = await f.t.call(f.viewer, { method: 'GET', url: `${f.base(key)}/namespaces` });
      expect(res.status, `${url}: ${JSON.stringify(res.json)}`).toBe(400);
    }
    expect(hits).toBe(0);
  });
});
