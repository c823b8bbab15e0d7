// Where a control plane keeps its state, read from the same variables as the control plane
// (apps/control-plane/src/config/config.ts): PostgreSQL (DATABASE_URL) and the data directory
// (SWITCHYARD_DATA_DIR, hosted repositories under <data>/git/hosted unless GIT_DATA_DIR is set).
// Shared by scripts/backup.mjs and scripts/restore.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The state locations from the environment, resolved like the control plane resolves them. */
export function stateLocations(env = process.env) {
  const dataDir = resolve(env.SWITCHYARD_DATA_DIR || '.switchyard/data');
  const gitDir = resolve(env.GIT_DATA_DIR || join(dataDir, 'git'));
  return {
    databaseUrl:
      env.DATABASE_URL ||
      startDatabaseUrl(dataDir) ||
      'postgresql://postgres@127.0.0.1:5432/switchyard',
    dataDir,
    gitDir,
    hostedDir: join(gitDir, 'hosted'),
  };
}

/**
 * The database `npm start` chose for the checkout whose default data directory this is
 * (`.switchyard/database-url`, next to `.switchyard/data`), if any.
 */
function startDatabaseUrl(dataDir) {
  const file = join(dataDir, '..', 'database-url');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** Hosted bare repositories as `<org>/<env>.git` paths relative to the hosted directory. */
export function hostedRepositories(hostedDir) {
  if (!existsSync(hostedDir)) return [];
  const out = [];
  for (const org of readdirSync(hostedDir, { withFileTypes: true })) {
    if (!org.isDirectory()) continue;
    for (const repo of readdirSync(join(hostedDir, org.name), { withFileTypes: true }))
      if (repo.isDirectory() && repo.name.endsWith('.git')) out.push(`${org.name}/${repo.name}`);
  }
  return out.sort();
}

/** Runs a command; exits the script with its error output when it fails. Returns stdout. */
export function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.status !== 0)
    fail(
      `${cmd} ${args[0] ?? ''} failed: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`,
    );
  return r.stdout;
}

/** Git with no user or system configuration (the control plane's own settings). */
export function git(args, cwd) {
  return run('git', args, {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: '/nonexistent',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      LC_ALL: 'C',
    },
  });
}

/** Prints the reason and exits 1. */
export function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/** A database URL with the database name replaced (server-level commands go to `postgres`). */
export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The database name of a URL. */
export function databaseName(url) {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}
