#!/usr/bin/env node
/**
 * `npm test`: builds every package but the console, then runs vitest's untimed files (every
 * package; see vitest.config.ts) beside the console's build and browser suite, then vitest's
 * timed files alone on the then idle machine, and prints how long each step and the whole took.
 * Both suites spend most of their time waiting on processes, databases and timers, so running
 * them together fills the 2 cores instead of leaving one idle. The browser side's lines are
 * prefixed `[browser]`.
 *
 * All steps share one temporary directory (TMPDIR), removed at the end, and what the steps left in
 * it is named. Arguments go to one plain vitest run after a full build (`npm test -- --project db`).
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
const WEB = '@switchyard/web';
const hasBrowser = Boolean(scripts['test:browser']) && args.length === 0;

const build = {
  name: 'build',
  stopOnFailure: true,
  commands: [['npm', 'run', 'build', '--', ...(hasBrowser ? [`--filter=!${WEB}`] : [])]],
};
// The build covers the binaries vitest's global setup would build (a turbo cache hit):
// scripts/test/build-binaries.ts skips when SY_TEST_BINARIES_BUILT is set.
const vitest = (name, part) => ({
  name,
  commands: [['npx', 'vitest', 'run', ...args]],
  env: { SY_TEST_BINARIES_BUILT: '1', ...(part ? { SY_VITEST_PART: part } : {}) },
});
const browser = {
  name: 'console build + browser',
  prefix: '[browser] ',
  commands: [
    ['npx', 'turbo', 'run', 'build', `--filter=${WEB}`, '--output-logs=errors-only'],
    ['npm', 'run', 'test:browser'],
  ],
};

/** Stages run one after the other; the steps of a stage run at once. */
const stages = hasBrowser
  ? [[build], [vitest('vitest untimed', 'untimed'), browser], [vitest('vitest timed', 'timed')]]
  : [[build], [vitest('vitest')]];

const runDir = mkdtempSync(join(tmpdir(), 'sy-npm-test-'));
const env = { ...process.env, TMPDIR: runDir };

function exec([cmd, ...cmdArgs], step) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, {
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
    child.on('close', (code) => resolve(code === 0));
  });
}

async function run(step) {
  const t0 = Date.now();
  let ok = true;
  for (const command of step.commands) if (!(ok = await exec(command, step))) break;
  return { step, ok, seconds: Math.round((Date.now() - t0) / 1000) };
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
