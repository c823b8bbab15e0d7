/**
 * vitest global setup of the packages whose tests run built binaries as child processes (the
 * data plane, the edge, the control plane's worker): builds them and what they import through
 * turbo, once per vitest process. A cache hit (e.g. right after `npm test`'s own build) takes about
 * a second; test files used to run tsc themselves, five compilers per file and up to a minute of
 * CPU each time. Global setups all run before the first test file, so no test ever sees a dist/
 * being rewritten under it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = ['@switchyard/data-plane', '@switchyard/edge', '@switchyard/control-plane'];
const BINARIES = [
  'apps/data-plane/dist/cli.js',
  'apps/edge/dist/main.js',
  'apps/control-plane/dist/worker.js',
];

export default function setup(): void {
  // Several projects name this setup; the first one in this process builds for all of them.
  if (process.env['SY_TEST_BINARIES_BUILT'] === '1') return;
  const res = spawnSync(
    `${ROOT}node_modules/.bin/turbo`,
    [
      'run',
      'build',
      ...PACKAGES.map((p) => `--filter=${p}`),
      '--output-logs=errors-only',
      '--continue=always',
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
  );
  // tsc emits even when work in progress has type errors: the tests judge the result, as before.
  if (res.status !== 0)
    process.stderr.write(
      `build-binaries: turbo build failed (tests run on what was emitted)\n${res.stdout}${res.stderr}\n`,
    );
  const missing = BINARIES.filter((b) => !existsSync(ROOT + b));
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  process.env['SY_TEST_BINARIES_BUILT'] = '1';
}
