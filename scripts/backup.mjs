#!/usr/bin/env node
// `npm run backup -- <dir>`: a backup of the whole control plane into <dir> (which must be new or
// empty): `database.dump` (pg_dump, custom format: accounts, organisations, environments, token
// hashes, audit, encrypted secrets), one `git bundle` per hosted repository with every ref
// (branches, proposal branches and proposal records), and `manifest.json`.
//
// Order matters: the database is dumped FIRST, then the repositories. Each environment row records
// the last revision accepted on its branch, and a repository that does not contain it is reported
// as behind after a restore. Bundled after the dump, repositories are always at or ahead of it.
// Instances need no backup (they resync); external repositories live at their own remotes.
// Restore with the same SWITCHYARD_SECRET (it encrypts stored git credentials and SSO secrets).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fail, git, hostedRepositories, run, stateLocations } from './state.mjs';

const target = process.argv[2];
if (!target) fail('usage: npm run backup -- <directory>');
const out = resolve(target);
if (existsSync(out) && readdirSync(out).length > 0)
  fail(`${out} is not empty; back up into a new directory`);
mkdirSync(out, { recursive: true });

const state = stateLocations();
process.stderr.write(
  `backing up ${state.databaseUrl.replace(/\/\/[^@/]*@/u, '//***@')} and ${state.hostedDir}\n`,
);
run('pg_dump', [
  '--format=custom',
  '--no-owner',
  '--no-acl',
  `--file=${join(out, 'database.dump')}`,
  `--dbname=${state.databaseUrl}`,
]);

const repositories = [];
for (const path of hostedRepositories(state.hostedDir)) {
  const repo = join(state.hostedDir, path);
  const refs = git(['for-each-ref', '--format=%(refname)'], repo).split('\n').filter(Boolean);
  if (refs.length === 0) continue; // never written: nothing to keep
  const bundle = join('hosted', path.replace(/\.git$/u, '.bundle'));
  mkdirSync(dirname(join(out, bundle)), { recursive: true });
  git(['bundle', 'create', '--quiet', join(out, bundle), '--all'], repo);
  git(['bundle', 'verify', '--quiet', join(out, bundle)], repo);
  const head = git(['symbolic-ref', 'HEAD'], repo).trim();
  repositories.push({ path, bundle, head, refs: refs.length });
}

const manifest = {
  format: 1,
  createdAt: new Date().toISOString(),
  database: 'database.dump',
  repositories,
};
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
process.stdout.write(
  `backup written to ${out}: database and ${repositories.length} hosted repositories\n`,
);
