import { configDefaults, defineProject } from 'vitest/config';

/** Files that assert wall-clock bounds (deadlines, keepalive, reload latency): alone in a full run. */
export const TIMED = [
  'test/grpc-keepalive.test.ts',
  'test/ops.test.ts',
  'test/sync/dir-sync.int.test.ts',
  'test/sync/git-faults.int.test.ts',
  'test/sync/git-flaky-network.int.test.ts',
];

export const TEST = {
  // Modules are shared between this worker's files (see the root config).
  isolate: false,
  // Per-file hooks of shared fixtures (removes the sync tests' temporary directories).
  setupFiles: ['test/setup.ts'],
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  // Builds the binaries tests run as processes, once per run (the data plane, edge and worker).
  globalSetup: ['../../scripts/test/build-binaries.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    ...TEST,
    name: 'data-plane',
    // The root config runs the timed files in vitest.timing.config.ts (see the root config).
    exclude: [...configDefaults.exclude, ...(process.env['SY_VITEST_GROUPS'] ? TIMED : [])],
  },
});
