import { defineConfig } from 'vitest/config';

/**
 * One run over every package, in two groups (`sequence.groupOrder`): first every file whose
 * assertions do not depend on wall-clock time, two at a time; then the files that assert
 * latencies, deadlines or throughput (an edit served within a second, L6, keepalive pings, the
 * fault tests that SIGKILL workers and instances), one at a time on an otherwise idle machine.
 *
 * A package with timed files lists them in its `vitest.config.ts` (which runs every file when the
 * package runs alone, and leaves the timed ones out when this config sets SY_VITEST_GROUPS) and
 * runs them in `vitest.timing.config.ts` (project `<name>/timing`). One timed file from the root:
 * `npx vitest run --project 'control-plane*' test/provisioning/…`.
 *
 * The benchmark scripts' own tests (each load-matrix script at its smallest size, about 90 s of
 * control planes and instances) are not part of this run: `npm run test:bench` runs them.
 */
process.env['SY_VITEST_GROUPS'] = '1';

export default defineConfig({
  test: {
    projects: ['libs/*', 'apps/*', 'infra', '{libs,apps}/*/vitest.timing.config.ts'],
    // Untimed files at once (measured on 2 cores; `--maxWorkers` overrides it).
    maxWorkers: 2,
    // One temporary directory for the whole run, removed at the end (scripts/test/run-dir.ts).
    globalSetup: ['scripts/test/run-dir.ts'],
  },
});
