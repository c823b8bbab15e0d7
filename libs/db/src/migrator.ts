import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';

/** One migration folder found on disk. */
export interface MigrationFile {
  /** Folder name, e.g. `20261122043000_init`; folders apply in lexicographic order like Prisma. */
  name: string;
  sql: string;
  /** sha256 hex of migration.sql, the value Prisma stores in `_prisma_migrations.checksum`. */
  checksum: string;
}

/** Options for {@link migrate}. */
export interface MigrateOptions {
  databaseUrl: string;
  /** Directory holding `<timestamp>_<name>/migration.sql` folders. */
  migrationsDir: string;
  /** Create the database first when it does not exist (connects to the `postgres` database). */
  createDatabase?: boolean;
  /** Called once per applied migration. */
  onApplied?: (name: string) => void;
}

/** Result of {@link migrate}. */
export interface MigrateResult {
  applied: string[];
}

// Any constant works; it only has to be the same for every migrator process.
const LOCK_ID = 72_707_369;

// Prisma's own bookkeeping table, byte for byte, so `prisma migrate status/deploy` agree with us.
const BOOKKEEPING_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** Reads the migration folders under `dir`, sorted by name. */
export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const out: MigrationFile[] = [];
  for (const name of names) {
    const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
    out.push({ name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return out;
}

/** Creates the database named in `databaseUrl` when it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } catch (e) {
        // 42P04 duplicate_database (or 23505 when both inserts race in the catalog): another
        // process created it first, which is fine.
        const code = (e as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') throw e;
      }
    }
  } finally {
    await admin.end();
  }
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

/**
 * Applies pending migrations in order, each in its own transaction, under a session advisory lock
 * so concurrent starters serialise. Refuses to run when a recorded migration failed or when an
 * applied migration's file changed (Prisma's P3009 / checksum drift).
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  if (options.createDatabase) await ensureDatabase(options.databaseUrl);
  const files = await readMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    await client.query(BOOKKEEPING_DDL);
    const rows = (
      await client.query<AppliedRow>(
        'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
      )
    ).rows;
    const done = new Map<string, AppliedRow>();
    for (const row of rows) {
      if (row.finished_at === null)
        throw new Error(`migration ${row.migration_name} failed earlier; resolve it first`);
      done.set(row.migration_name, row);
    }
    for (const file of files) {
      const previous = done.get(file.name);
      if (previous) {
        if (previous.checksum !== file.checksum)
          throw new Error(`migration ${file.name} was modified after it was applied`);
        continue;
      }
      await applyOne(client, file);
      applied.push(file.name);
      options.onApplied?.(file.name);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    await client.end();
  }
  return { applied };
}

async function applyOne(client: pg.Client, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
      [id, file.checksum, file.name],
    );
    await client.query(file.sql);
    await client.query(
      'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
      [id],
    );
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw new Error(`migration ${file.name} failed: ${(e as Error).message}`, { cause: e });
  }
}
