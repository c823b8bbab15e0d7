import { configDefaults, defineProject } from 'vitest/config';

/** Files that assert wall-clock bounds or kill processes: alone, after the rest, in a full run. */
export const TIMED = [
  'test/provisioning/faults-instance-and-control-plane.int.test.ts',
  'test/provisioning/faults-redis.int.test.ts',
  'test/provisioning/faults-worker-kill.int.test.ts',
  'test/provisioning/provisioning-e2e.int.test.ts',
  'test/provisioning/provisioning-hosted.int.test.ts',
];

export const TEST = {
  // Modules are shared between this worker's files (see the root config).
  isolate: false,
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  // Builds the binaries tests run as processes, once per run (the data plane, edge and worker).
  globalSetup: ['../../scripts/test/build-binaries.ts'],
  // Safety nets, not performance bounds (timed files assert their own): property tests and the
  // auth matrix need ~5 s alone but passed 30 s when the 2 cores were shared with other work.
  testTimeout: 120_000,
  hookTimeout: 120_000,
};

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    ...TEST,
    name: 'control-plane',
    // The root config runs the timed files in vitest.timing.config.ts (see the root config).
    exclude: [...configDefaults.exclude, ...(process.env['SY_VITEST_GROUPS'] ? TIMED : [])],
  },
});
