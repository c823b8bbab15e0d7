#!/usr/bin/env node
// Runs every benchmark in scripts/bench (sorted), each in its own process, and passes through
// their `bench <name> <value> <unit>` lines. `npm run bench -- engine` runs only files matching;
// `npm run bench -- --long` passes `--long` to every benchmark, which then runs its long profile
// (the short one, the default, keeps each file well under 20 s on a quiet machine).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'scripts', 'bench');
const long = process.argv.includes('--long');
const filter = process.argv.slice(2).find((a) => !a.startsWith('--'));
const files = readdirSync(dir)
  .filter((f) => /\.(mjs|ts)$/.test(f) && !f.startsWith('_'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

let failed = 0;
for (const f of files) {
  process.stderr.write(`# ${f}\n`);
  const args = f.endsWith('.ts')
    ? ['--expose-gc', '--conditions=source', '--import', 'tsx', join(dir, f)]
    : ['--expose-gc', join(dir, f)];
  if (long) args.push('--long');
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`# ${f} failed with ${r.status ?? r.signal}\n`);
  }
}
process.exit(failed ? 1 : 0);
