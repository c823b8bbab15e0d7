import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DEFAULT_POSTGRES_ADMIN_URL, templateNameFor } from './postgres.js';

describe('createTestDatabase', () => {
  let dir: string;
  let migrations = 0;
  const migrate = async (url: string) => {
    migrations++;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE thing (id int primary key); INSERT INTO thing VALUES (1)');
    await client.end();
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sy-pg-'));
    await mkdir(join(dir, '0001_init'));
    // A unique statement per run so this test always builds (and then reuses) its own template.
    await writeFile(join(dir, '0001_init', 'migration.sql'), `-- ${dir}\n`);
  });
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: DEFAULT_POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${await templateNameFor(dir)}" WITH (FORCE)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  });

  it('clones isolated databases from one migrated template and sweeps leftovers of dead runs', async () => {
    const admin0 = new pg.Client({ connectionString: DEFAULT_POSTGRES_ADMIN_URL });
    await admin0.connect();
    await admin0.query('DROP DATABASE IF EXISTS sy_test_999999_cafe');
    await admin0.query('CREATE DATABASE sy_test_999999_cafe');
    await admin0.end();
    const [a, b] = await Promise.all([
      createTestDatabase({ migrationsDir: dir, migrate }),
      createTestDatabase({ migrationsDir: dir, migrate }),
    ]);
    expect(migrations).toBe(1);
    expect(a.name).not.toBe(b.name);
    const ca = new pg.Client({ connectionString: a.url });
    const cb = new pg.Client({ connectionString: b.url });
    await ca.connect();
    await cb.connect();
    await ca.query('INSERT INTO thing VALUES (2)');
    expect((await ca.query('SELECT count(*)::int AS n FROM thing')).rows[0].n).toBe(2);
    expect((await cb.query('SELECT count(*)::int AS n FROM thing')).rows[0].n).toBe(1);
    await ca.end();
    await cb.end();
    await a.drop();
    await b.drop();
    const admin = new pg.Client({
      connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres',
    });
    await admin.connect();
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = ANY($1)', [
      [a.name, b.name, 'sy_test_999999_cafe'],
    ]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });
});
