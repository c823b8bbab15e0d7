import { defineConfig } from 'vitest/config';

/**
 * One run over every package, in two groups (`sequence.groupOrder`): first every file whose
 * assertions do not depend on wall-clock time, several at a time; then the files that assert
 * latencies, deadlines or throughput (an edit served within a second, keepalive pings, the fault
 * tests that SIGKILL workers and instances), one at a time on an otherwise idle machine.
 *
 * A package with timed files lists them in its `vitest.config.ts` (which runs every file when the
 * package runs alone, and leaves the timed ones out when this config sets SY_VITEST_GROUPS) and
 * runs them in `vitest.timing.config.ts` (project `<name>/timing`). One timed file from the root:
 * `npx vitest run --project 'control-plane*' test/provisioning/…`.
 *
 * `SY_VITEST_PART=untimed` or `=timed` runs one group only: `npm test` runs the untimed group
 * beside the browser suite, then the timed group alone (scripts/test.mjs).
 *
 * Every project sets `isolate: false`: a worker keeps its module cache from one file to the next
 * (a file still gets its own globals and mocks reset). Most files import the same Nest
 * application, and importing it afresh for each file was 40% of the run's CPU. So a test file
 * must not leave process-wide state behind (fake timers, `process.env`, listeners).
 *
 * The benchmark scripts' own tests (each load-matrix script at its smallest size, about 90 s of
 * control planes and instances) are not part of this run: `npm run test:bench` runs them.
 */
process.env['SY_VITEST_GROUPS'] = '1';
const PART = process.env['SY_VITEST_PART'];
const UNTIMED = ['libs/*', 'apps/*', 'infra'];
const TIMED = ['{libs,apps}/*/vitest.timing.config.ts'];

export default defineConfig({
  test: {
    projects: PART === 'untimed' ? UNTIMED : PART === 'timed' ? TIMED : [...UNTIMED, ...TIMED],
    // Untimed files at once: most of their time is spent waiting on processes, databases and
    // timers, not on the 2 cores (`--maxWorkers` overrides it).
    maxWorkers: 4,
    // One temporary directory for the whole run, removed at the end (scripts/test/run-dir.ts).
    globalSetup: ['scripts/test/run-dir.ts'],
  },
});
