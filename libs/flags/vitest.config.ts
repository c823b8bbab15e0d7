import { configDefaults, defineProject } from 'vitest/config';

/** Files that assert wall-clock bounds (linear-time parsing): alone in a full run. */
export const TIMED = ['src/format/limits.test.ts'];

export const TEST = {
  // A safety net, not a bound: property tests take a second alone and far more beside other work.
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // Modules are shared between this worker's files (see the root config).
  isolate: false,
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
};

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    ...TEST,
    name: 'flags',
    // The root config runs the timed files in vitest.timing.config.ts (see the root config).
    exclude: [...configDefaults.exclude, ...(process.env['SY_VITEST_GROUPS'] ? TIMED : [])],
  },
});
