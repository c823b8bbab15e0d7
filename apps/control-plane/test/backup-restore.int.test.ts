/**
 * Issue 10, durability: backup and restore of the whole control plane with the documented
 * commands (`npm run backup -- <dir>`, `npm run restore -- <dir>`, i.e. scripts/backup.mjs and
 * scripts/restore.mjs run as child processes), restored into a brand-new database and a new empty
 * data directory; a second control plane on the restored state serves the same revisions and
 * history over HTTP, and the same client token still authenticates (git over smart HTTP).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '@switchyard/db';
import { DEFAULT_POSTGRES_ADMIN_URL, TEST_GIT_ENV } from '@switchyard/testing';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/config.js';
import { flagsFixture, variantFlag, type FlagsFixture } from './flags/flags-helpers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const exec = promisify(execFile);
const restoredDb = `sy_restore_${Math.random().toString(36).slice(2, 10)}`;
const restoredUrl = (() => {
  const u = new URL(DEFAULT_POSTGRES_ADMIN_URL);
  u.pathname = `/${restoredDb}`;
  return u.toString();
})();
let f: FlagsFixture;
let scratch: string;
let restored: NestFastifyApplication | undefined;

beforeAll(async () => {
  f = await flagsFixture([{ key: 'prod' }, { key: 'staging' }]);
  scratch = await mkdtemp(join(tmpdir(), 'sy-backup-'));
});
afterAll(async () => {
  await restored?.close();
  await f.t.close();
  await rm(scratch, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: DEFAULT_POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${restoredDb}" WITH (FORCE)`);
  await admin.end();
});

/** `npm run <script> -- <dir>` exactly as documented (npm runs node scripts/<script>.mjs). */
function npmRun(script: 'backup' | 'restore', dir: string, env: Record<string, string>) {
  return spawnSync('npm', ['run', '--silent', script, '--', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
  });
}

async function get(app: { inject: NestFastifyApplication['inject'] }, token: string, url: string) {
  const res = await app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.statusCode, json: JSON.parse(res.body) as Record<string, unknown> };
}

describe('issue 10 durability: backup and restore of the whole control plane', () => {
  it('restores into an empty database and data directory: same revisions, same history, same client token', async () => {
    const env = '/api/v1/orgs/home/environments/prod';
    let rev = (await f.t.call(f.owner, { method: 'GET', url: `${env}/namespaces` })).json
      .revision as string;
    for (const key of ['one', 'two', 'three']) {
      const put = await f.t.call(f.editor, {
        method: 'PUT',
        url: `${env}/namespaces/default/flags/${key}`,
        headers: { 'if-match': rev },
        body: variantFlag(key),
      });
      expect(put.status, JSON.stringify(put.json)).toBe(200);
      rev = put.json.revision as string;
    }
    const proposal = await f.t.call(f.editor, {
      method: 'POST',
      url: `${env}/proposals`,
      body: { title: 'kept across restore' },
    });
    expect(proposal.status).toBe(201);
    const token = await f.t.call(f.owner, {
      method: 'POST',
      url: '/api/v1/orgs/home/client-tokens',
      body: { name: 'sdk', environments: ['prod'] },
    });
    expect(token.status).toBe(201);
    const before = {
      prod: (await get(f.t.app, f.owner.token, `${env}/namespaces`)).json['revision'],
      staging: (
        await get(f.t.app, f.owner.token, '/api/v1/orgs/home/environments/staging/namespaces')
      ).json['revision'],
      history: (await get(f.t.app, f.owner.token, `${env}/history`)).json,
      proposals: (await get(f.t.app, f.owner.token, `${env}/proposals`)).json,
    };
    expect(before.prod).toBe(rev);

    const backup = join(scratch, 'backup');
    const made = npmRun('backup', backup, {
      DATABASE_URL: f.t.database.url,
      GIT_DATA_DIR: f.dataDir,
    });
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain('database and 2 hosted repositories');

    const dataDir = join(scratch, 'restored-data');
    const done = npmRun('restore', backup, {
      DATABASE_URL: restoredUrl,
      SWITCHYARD_DATA_DIR: dataDir,
    });
    expect(done.status, done.stderr).toBe(0);
    // Restoring again over the now non-empty state is refused, and changes nothing.
    const again = npmRun('restore', backup, {
      DATABASE_URL: restoredUrl,
      SWITCHYARD_DATA_DIR: dataDir,
    });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(
      'already holds hosted repositories; restore into an empty data directory',
    );

    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: restoredUrl,
      LOG_LEVEL: 'silent',
      SWITCHYARD_DATA_DIR: dataDir,
    });
    restored = await createApp(config, {
      db: createPrismaClient({ databaseUrl: restoredUrl, maxConnections: 2 }),
      logger: pino({ level: 'silent' }),
    });
    await restored.listen(0, '127.0.0.1');
    const after = {
      prod: (await get(restored, f.owner.token, `${env}/namespaces`)).json['revision'],
      staging: (
        await get(restored, f.owner.token, '/api/v1/orgs/home/environments/staging/namespaces')
      ).json['revision'],
      history: (await get(restored, f.owner.token, `${env}/history`)).json,
      proposals: (await get(restored, f.owner.token, `${env}/proposals`)).json,
    };
    expect(after).toEqual(before);
    expect((await get(restored, f.owner.token, env)).json['storage']).toEqual({
      status: 'ok',
      message: null,
    });
    expect((await get(restored, f.owner.token, '/api/v1/ready')).json).toEqual({ status: 'ready' });

    // The client token authenticates against the restored control plane (only its hash was stored).
    const base = (await restored.getUrl()).replace('[::1]', '127.0.0.1');
    const url = `${base.replace('http://', `http://x:${token.json.token as string}@`)}/git/home/prod.git`;
    await exec('git', ['clone', '-q', url, join(scratch, 'clone')], { env: TEST_GIT_ENV });
    const head = await exec('git', ['rev-parse', 'HEAD'], {
      cwd: join(scratch, 'clone'),
      env: TEST_GIT_ENV,
    });
    expect(head.stdout.trim()).toBe(rev);
    const wrong = url.replace(/x:[^@]+@/u, 'x:sy_live_not_a_token@');
    await expect(
      exec('git', ['clone', '-q', wrong, join(scratch, 'nope')], { env: TEST_GIT_ENV }),
    ).rejects.toThrow();
  }, 120_000);
});
