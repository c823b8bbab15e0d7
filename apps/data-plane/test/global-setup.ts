/** Builds the packages the end-to-end tests run as processes (the real `dist/cli.js`). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** vitest global setup: tsc-build libs/flags, libs/retry and the data plane once per run. */
export default function setup(): void {
  for (const project of [
    'libs/flags/tsconfig.build.json',
    'libs/retry/tsconfig.build.json',
    'apps/data-plane/tsconfig.build.json',
  ]) {
    // tsc emits even when a sibling's work-in-progress has type errors; the tests judge the result.
    spawnSync(process.execPath, [root + 'node_modules/typescript/bin/tsc', '-p', root + project], {
      stdio: 'ignore',
    });
  }
  if (!existsSync(root + 'apps/data-plane/dist/cli.js'))
    throw new Error('apps/data-plane/dist/cli.js was not built');
}
