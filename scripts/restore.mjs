#!/usr/bin/env node
// `npm run restore -- <dir>`: restores a backup made by scripts/backup.mjs into an EMPTY database
// (DATABASE_URL; created when it does not exist) and an EMPTY data directory (SWITCHYARD_DATA_DIR
// or GIT_DATA_DIR). It refuses to touch anything that already holds state: a restore never merges
// into, or overwrites, a running installation. Then start the control plane as usual (with the
// same SWITCHYARD_SECRET); it applies any newer migrations and instances resync.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { databaseName, fail, git, run, stateLocations, withDatabase } from './state.mjs';

const source = process.argv[2];
if (!source) fail('usage: npm run restore -- <backup directory>');
const from = resolve(source);
const manifestPath = join(from, 'manifest.json');
if (!existsSync(manifestPath)) fail(`${from} holds no manifest.json: not a Switchyard backup`);
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
if (manifest.format !== 1) fail(`unsupported backup format ${manifest.format}`);

const state = stateLocations();
if (existsSync(state.hostedDir) && readdirSync(state.hostedDir).length > 0)
  fail(
    `${state.hostedDir} already holds hosted repositories; restore into an empty data directory`,
  );
prepareDatabase(state.databaseUrl);

run('pg_restore', [
  '--no-owner',
  '--no-acl',
  '--exit-on-error',
  '--single-transaction',
  `--dbname=${state.databaseUrl}`,
  join(from, manifest.database),
]);
for (const repo of manifest.repositories) {
  const path = join(state.hostedDir, repo.path);
  if (!path.startsWith(`${state.hostedDir}/`) || repo.path.includes('..'))
    fail(`unsafe repository path ${repo.path}`);
  mkdirSync(path, { recursive: true });
  git(['init', '--bare', '--quiet'], path);
  git(['fetch', '--quiet', join(from, repo.bundle), 'refs/*:refs/*'], path);
  git(['symbolic-ref', 'HEAD', repo.head], path);
}
process.stdout.write(
  `restored ${manifest.createdAt} backup: database and ${manifest.repositories.length} hosted repositories into ${state.dataDir}\n`,
);

/** Creates the database when missing; refuses one that already has tables. */
function prepareDatabase(url) {
  const name = databaseName(url);
  const admin = withDatabase(url, 'postgres');
  const exists =
    run('psql', [
      '-XtAq',
      `--dbname=${admin}`,
      '-c',
      `SELECT 1 FROM pg_database WHERE datname = '${name.replace(/'/gu, "''")}'`,
    ]).trim() === '1';
  if (!exists) {
    run('psql', [
      '-Xq',
      `--dbname=${admin}`,
      '-c',
      `CREATE DATABASE "${name.replace(/"/gu, '""')}"`,
    ]);
    return;
  }
  const tables = run('psql', [
    '-XtAq',
    `--dbname=${url}`,
    '-c',
    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
  ]).trim();
  if (tables !== '0')
    fail(`database ${name} is not empty (${tables} tables); restore into an empty database`);
}
