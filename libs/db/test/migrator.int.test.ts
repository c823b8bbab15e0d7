import { cp, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POSTGRES_ADMIN_URL } from '@switchyard/testing';
import { MIGRATIONS_DIR, migrate, readMigrations } from '../src/index.js';

const created: string[] = [];
function freshUrl(): string {
  const name = `sy_mig_${Math.random().toString(36).slice(2, 10)}`;
  created.push(name);
  const url = new URL(DEFAULT_POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

afterEach(async () => {
  for (const name of created.splice(0)) {
    await query(DEFAULT_POSTGRES_ADMIN_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
});

describe('migrate', () => {
  it('creates the database, applies every folder once and keeps Prisma bookkeeping', async () => {
    const url = freshUrl();
    const files = await readMigrations(MIGRATIONS_DIR);
    const first = await migrate({
      databaseUrl: url,
      migrationsDir: MIGRATIONS_DIR,
      createDatabase: true,
    });
    expect(first.applied).toEqual(files.map((f) => f.name));
    const second = await migrate({
      databaseUrl: url,
      migrationsDir: MIGRATIONS_DIR,
      createDatabase: true,
    });
    expect(second.applied).toEqual([]);
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      const sql = readFileSync(join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(files[i]?.checksum).toBe(row.checksum);
    }
  });

  it('serialises concurrent migrators with the advisory lock', async () => {
    const url = freshUrl();
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        migrate({ databaseUrl: url, migrationsDir: MIGRATIONS_DIR, createDatabase: true }),
      ),
    );
    expect(results.flatMap((r) => r.applied)).toHaveLength(
      (await readMigrations(MIGRATIONS_DIR)).length,
    );
  });

  it('rolls a failing migration back entirely and refuses modified applied migrations', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sy-mig-'));
    try {
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      await mkdir(join(dir, '99990101000000_broken'));
      await writeFile(
        join(dir, '99990101000000_broken', 'migration.sql'),
        'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n',
      );
      const url = freshUrl();
      await expect(
        migrate({ databaseUrl: url, migrationsDir: dir, createDatabase: true }),
      ).rejects.toThrow(/99990101000000_broken failed/);
      expect(
        await query(url, "SELECT 1 FROM pg_tables WHERE tablename = 'half_done'"),
      ).toHaveLength(0);
      expect(
        await query(
          url,
          `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken'`,
        ),
      ).toHaveLength(0);

      await rm(join(dir, '99990101000000_broken'), { recursive: true });
      const first = (await readMigrations(dir))[0]!;
      await writeFile(join(dir, first.name, 'migration.sql'), `${first.sql}\n-- edited\n`);
      await expect(migrate({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(
        /modified after it was applied/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
