import { defineProject } from 'vitest/config';

/** The benchmark scripts' own tests: each load-matrix script run at its smallest size (untimed). */
export default defineProject({
  test: {
    name: 'bench-scripts',
    include: ['bench/test/**/*.test.ts'],
    // They run the built binaries (control plane, worker, data plane) as child processes.
    globalSetup: ['./test/build-binaries.ts'],
    testTimeout: 180_000,
  },
});
