import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';

/** Default admin URL of the machine's Postgres (trust auth). */
export const DEFAULT_POSTGRES_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Options for {@link createTestDatabase}. */
export interface TestDatabaseOptions {
  /** Folder of migrations; its contents name the template, so a changed migration builds a new one. */
  migrationsDir: string;
  /** Applies the migrations to an empty database at `url` (e.g. `@switchyard/db`'s migrator). */
  migrate: (url: string) => Promise<void>;
  /** A URL of the server with rights to create databases; defaults to {@link DEFAULT_POSTGRES_ADMIN_URL}. */
  adminUrl?: string;
}

/** A fresh database cloned from the migrated template. Call `drop()` when done. */
export interface TestDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

const templates = new Map<string, Promise<string>>();
let swept: Promise<void> | undefined;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * Test databases are named `sy_test_<pid>_<random>`; ones left behind by a killed run (their pid
 * no longer exists on this machine) are dropped once per process.
 */
async function sweepLeftovers(adminUrl: string): Promise<void> {
  await withAdmin(adminUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'sy\\_test\\_%'`,
    );
    for (const { datname } of rows) {
      const pid = Number(/^sy_test_(\d+)_/.exec(datname)?.[1]);
      if (Number.isInteger(pid) && pid > 0 && !alive(pid))
        await admin.query(`DROP DATABASE IF EXISTS ${quote(datname)} WITH (FORCE)`);
    }
  });
}

function quote(ident: string): string {
  return `"${ident.replace(/"/g, '""')}"`;
}

function urlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function fingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const name of names) {
    hash.update(name).update('\0');
    hash.update(await readFile(join(dir, name, 'migration.sql'))).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The template database name for a migrations folder (a fingerprint of its contents). */
export async function templateNameFor(migrationsDir: string): Promise<string> {
  return `sy_tpl_${await fingerprint(migrationsDir)}`;
}

/**
 * Builds the template once per migration fingerprint, across processes: an advisory lock serialises
 * builders and the template only gets its final name (by RENAME) once fully migrated, so a
 * half-built template is never cloned.
 */
async function buildTemplate(options: TestDatabaseOptions, adminUrl: string): Promise<string> {
  const name = await templateNameFor(options.migrationsDir);
  const building = `${name}_building`;
  await withAdmin(adminUrl, async (admin) => {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount) return;
      await admin.query(`DROP DATABASE IF EXISTS ${quote(building)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${quote(building)}`);
      await options.migrate(urlFor(adminUrl, building));
      await admin.query(`ALTER DATABASE ${quote(building)} RENAME TO ${quote(name)}`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
  return name;
}

/** Creates a fresh, fully migrated database by cloning the template (`CREATE DATABASE … TEMPLATE`). */
export async function createTestDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? DEFAULT_POSTGRES_ADMIN_URL;
  const cacheKey = `${adminUrl}|${options.migrationsDir}`;
  let template = templates.get(cacheKey);
  if (!template) {
    template = buildTemplate(options, adminUrl);
    templates.set(cacheKey, template);
    template.catch(() => templates.delete(cacheKey));
  }
  const templateName = await template;
  swept ??= sweepLeftovers(adminUrl).catch(() => undefined);
  await swept;
  const name = `sy_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (admin) =>
    admin.query(`CREATE DATABASE ${quote(name)} TEMPLATE ${quote(templateName)}`),
  );
  return {
    name,
    url: urlFor(adminUrl, name),
    drop: () =>
      withAdmin(adminUrl, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`),
      ).then(() => undefined),
  };
}
