#!/usr/bin/env node
/**
 * `npm test`: builds, runs vitest (every package; see vitest.config.ts for the two groups), then the
 * console's browser suite when the root package.json defines `test:browser`, and prints how long
 * each step and the whole took. All steps share one temporary directory (TMPDIR), removed at the
 * end, and what the steps left in it is named. Arguments go to vitest (`npm test -- --project db`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts ?? {};
const steps = [
  // Every package, the console included (the browser step serves its production build).
  { name: 'build', cmd: 'npm', args: ['run', 'build'], stopOnFailure: true },
  // The build above covers the binaries vitest's global setup would build (a turbo cache hit):
  // scripts/test/build-binaries.ts skips when this is set.
  {
    name: 'vitest',
    cmd: 'npx',
    args: ['vitest', 'run', ...process.argv.slice(2)],
    env: { SY_TEST_BINARIES_BUILT: '1' },
  },
  ...(scripts['test:browser']
    ? [{ name: 'browser', cmd: 'npm', args: ['run', 'test:browser'] }]
    : []),
];

const runDir = mkdtempSync(join(tmpdir(), 'sy-npm-test-'));
const env = { ...process.env, TMPDIR: runDir };
const started = Date.now();
const timings = [];
const failed = [];
for (const step of steps) {
  const t0 = Date.now();
  const res = spawnSync(step.cmd, step.args, {
    cwd: ROOT,
    env: { ...env, ...step.env },
    stdio: 'inherit',
  });
  timings.push(`${step.name} ${Math.round((Date.now() - t0) / 1000)} s`);
  if (res.status !== 0) {
    failed.push(step.name);
    if (step.stopOnFailure) break;
  }
}
const left = readdirSync(runDir);
if (left.length)
  process.stderr.write(
    `npm test: left in its temporary directory (removed now): ${left.join(', ')}\n`,
  );
rmSync(runDir, { recursive: true, force: true });
const total = Math.round((Date.now() - started) / 1000);
process.stdout.write(
  `\nnpm test: ${failed.length ? `FAILED (${failed.join(', ')})` : 'passed'} in ${Math.floor(total / 60)} min ${total % 60} s (${timings.join(', ')})\n`,
);
process.exit(failed.length ? 1 : 0);
