import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POSTGRES_ADMIN_URL } from '@switchyard/testing';

/** End to end on the built entry points (`npm test` builds first), exactly as operators run them. */
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const database = `sy_e2e_${randomBytes(5).toString('hex')}`;
const databaseUrl = (() => {
  const u = new URL(DEFAULT_POSTGRES_ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
})();
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function run(
  script: string,
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [`${DIST}${script}`, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.pid) process.kill(c.pid, 'SIGKILL');
  const admin = new pg.Client({ connectionString: DEFAULT_POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
});

describe('processes', () => {
  it('is built', () => {
    expect(existsSync(`${DIST}main.js`), 'run `npm run build` first').toBe(true);
  });

  it('start creates and migrates the database, bootstrap prints a working token last, SIGTERM stops cleanly', async () => {
    const port = await freePort();
    const env = { DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'info' };
    const server = run('main.js', [], env);
    let up = false;
    // Up to 90 s: a start (migrations included) takes ~3 s alone, over 30 s on a loaded machine.
    for (let i = 0; i < 900 && !up; i++) {
      await new Promise((r) => setTimeout(r, 100));
      up = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      );
    }
    expect(up, 'server did not come up').toBe(true);
    expect(await fetch(`http://127.0.0.1:${port}/api/v1/ready`).then((r) => r.json())).toEqual({
      status: 'ready',
    });

    const boot = await run('bootstrap.js', ['--email', 'Admin@Example.com', '--org', 'acme'], {
      DATABASE_URL: databaseUrl,
    }).done;
    expect(boot.code, boot.stderr).toBe(0);
    const lines = boot.stdout.trim().split('\n');
    const token = lines.at(-1)!;
    expect(token).toMatch(/^sy_pat_[0-9A-Za-z]{30}_[0-9A-Za-z]{6}$/);

    const res = await fetch(`http://127.0.0.1:${port}/api/v1/orgs`, {
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'e2e-1' },
    });
    expect(res.headers.get('x-request-id')).toBe('e2e-1');
    expect(await res.json()).toMatchObject({ items: [{ slug: 'acme', role: 'OWNER' }] });

    server.child.kill('SIGTERM');
    const exit = await server.done;
    expect(exit.code).toBe(0);
    const logs = exit.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs.some((l) => l['migration'] === '20261122043000_init')).toBe(true);
    expect(logs.some((l) => l['reqId'] === 'e2e-1')).toBe(true);
    expect(exit.stdout).not.toContain(token);
  }, 90_000);

  it('refuses to boot with invalid configuration, naming every bad variable', async () => {
    const res = await run('main.js', [], {
      NODE_ENV: 'production',
      PORT: 'abc',
      DATABASE_URL: 'mysql://x',
    }).done;
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('SWITCHYARD_SECRET');
    expect(res.stderr).toContain('PORT');
    expect(res.stderr).toContain('DATABASE_URL');
  });

  it('bootstrap without --email prints usage and fails', async () => {
    const res = await run('bootstrap.js', [], { DATABASE_URL: databaseUrl }).done;
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('usage: bootstrap --email');
  });
});
