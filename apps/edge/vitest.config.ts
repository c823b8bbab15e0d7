import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'edge',
    // Modules are shared between this worker's files (see the root config).
    isolate: false,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['../../scripts/test/build-binaries.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
