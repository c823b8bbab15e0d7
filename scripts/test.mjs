#!/usr/bin/env node
/**
 * `npm test`: builds, then runs vitest's untimed files (every package; see vitest.config.ts) and
 * the console's browser suite side by side, then vitest's timed files alone on the then idle
 * machine, and prints how long each step and the whole took. Both suites spend most of their
 * time waiting on processes, databases and timers, so running them together fills the 2 cores
 * instead of leaving one idle. The browser suite's lines are prefixed `[browser]`.
 *
 * All steps share one temporary directory (TMPDIR), removed at the end, and what the steps left in
 * it is named. Arguments go to one plain vitest run instead (`npm test -- --project db`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts ?? {};
const args = process.argv.slice(2);
// The build covers the binaries vitest's global setup would build (a turbo cache hit):
// scripts/test/build-binaries.ts skips when SY_TEST_BINARIES_BUILT is set.
const vitest = (name, part) => ({
  name,
  cmd: 'npx',
  args: ['vitest', 'run', ...args],
  env: { SY_TEST_BINARIES_BUILT: '1', ...(part ? { SY_VITEST_PART: part } : {}) },
});
const browser = scripts['test:browser']
  ? { name: 'browser', cmd: 'npm', args: ['run', 'test:browser'], prefix: '[browser] ' }
  : undefined;

/** Stages run one after the other; the steps of a stage run at once. */
const stages = [
  // Every package, the console included (the browser step serves its production build).
  [{ name: 'build', cmd: 'npm', args: ['run', 'build'], stopOnFailure: true }],
  ...(args.length
    ? [[vitest('vitest')]]
    : [
        [vitest('vitest untimed', 'untimed'), ...(browser ? [browser] : [])],
        [vitest('vitest timed', 'timed')],
      ]),
];

const runDir = mkdtempSync(join(tmpdir(), 'sy-npm-test-'));
const env = { ...process.env, TMPDIR: runDir };

function run(step) {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(step.cmd, step.args, {
      cwd: ROOT,
      env: { ...env, ...step.env },
      stdio: step.prefix ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    if (step.prefix)
      for (const [from, to] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ])
        createInterface({ input: from }).on('line', (l) => to.write(`${step.prefix}${l}\n`));
    child.on('close', (code) =>
      resolve({ step, ok: code === 0, seconds: Math.round((Date.now() - t0) / 1000) }),
    );
  });
}

const started = Date.now();
const timings = [];
const failed = [];
for (const stage of stages) {
  const results = await Promise.all(stage.map(run));
  for (const r of results) {
    timings.push(`${r.step.name} ${r.seconds} s`);
    if (!r.ok) failed.push(r.step.name);
  }
  if (results.some((r) => !r.ok && r.step.stopOnFailure)) break;
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
