import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './harness.js';

let t: TestApp;
beforeEach(async () => {
  t = await startApp();
});
afterEach(async () => {
  await t.close();
});

/** Every row of every table as text (what a database dump would reveal). */
async function dump(t: TestApp): Promise<{ text: string; decodedBytea: number }> {
  const tables = await t.db.$queryRaw<
    { tablename: string }[]
  >`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`;
  const chunks: string[] = [];
  let decodedBytea = 0;
  for (const { tablename } of tables) {
    const rows = await t.db.$queryRawUnsafe<{ r: string }[]>(
      `SELECT x::text AS r FROM "${tablename}" x`,
    );
    // bytea renders as hex; decode it too so a plaintext stored as bytes is also found.
    for (const { r } of rows) {
      const bytes = [...r.matchAll(/\\\\x([0-9a-f]+)/g)].map((m) =>
        Buffer.from(m[1]!, 'hex').toString('latin1'),
      );
      decodedBytea += bytes.length;
      chunks.push(r, ...bytes);
    }
  }
  return { text: chunks.join('\n'), decodedBytea };
}

describe('secrets at rest', () => {
  it('no token, session secret, CSRF token or git credential appears in any table', async () => {
    const a = await t.user('owner@example.com');
    const org = await t.call(a.pat, {
      method: 'POST',
      url: '/api/v1/orgs',
      body: { slug: 'acme', name: 'Acme' },
    });
    expect(org.status).toBe(201);
    await t.call(a.pat, {
      method: 'POST',
      url: '/api/v1/orgs/acme/environments',
      body: { key: 'prod', name: 'Prod' },
    });
    const secrets: string[] = [a.pat.token];
    const pat = await t.call(a.pat, {
      method: 'POST',
      url: '/api/v1/me/tokens',
      body: { name: 'ci' },
      headers: { 'idempotency-key': 'pat-1' },
    });
    secrets.push(pat.json.token);
    const client = await t.call(a.pat, {
      method: 'POST',
      url: '/api/v1/orgs/acme/client-tokens',
      body: { name: 'web', environments: ['prod'] },
      headers: { 'idempotency-key': 'ct-1' },
    });
    secrets.push(client.json.token);
    const credential = 'ghp_Plaintext-Credential-0123456789';
    const key =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
    await t.call(a.pat, {
      method: 'POST',
      url: '/api/v1/orgs/acme/repositories',
      body: {
        name: 'https',
        url: 'https://git.example.com/a.git',
        credential: { username: 'bot', secret: credential },
      },
      headers: { 'idempotency-key': 'r-1' },
    });
    await t.call(a.pat, {
      method: 'POST',
      url: '/api/v1/orgs/acme/repositories',
      body: { name: 'ssh', url: 'ssh://git@git.example.com/a.git', credential: { secret: key } },
    });
    secrets.push(credential, 'b3BlbnNzaC1rZXktdjEAAAAA');
    const session = await t.session(a.id);
    secrets.push(session.cookie.split('=')[1]!, session.csrf);

    const { text: all, decodedBytea } = await dump(t);
    expect(decodedBytea).toBeGreaterThanOrEqual(5); // 2 credentials + 3 stored idempotent responses
    expect(all).toContain('sy_live_'); // the display prefix is stored...
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(16);
      expect(all.includes(secret), `plaintext found: ${secret.slice(0, 12)}…`).toBe(false);
      // ...and no long fragment of a secret either (only the short display prefix).
      expect(all.includes(secret.slice(-20)), `secret suffix found: ${secret.slice(0, 12)}…`).toBe(
        false,
      );
    }
  });
});
