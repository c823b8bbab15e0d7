import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'edge',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['../../scripts/test/build-binaries.ts'],
    testTimeout: 30_000,
  },
});
