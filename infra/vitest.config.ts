import { defineProject } from 'vitest/config';

/** The deployment files (docker-compose.yml, infra/docker, infra/k8s), checked without Docker. */
export default defineProject({
  test: {
    name: 'infra',
    // Modules are shared between this worker's files (see the root config).
    isolate: false,
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
