import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { freePort } from '../stack';

const WEB = fileURLToPath(new URL('../..', import.meta.url));
const NEXT = fileURLToPath(new URL('../../../../node_modules/next/dist/bin/next', import.meta.url));

/** No browser: the console's production server itself, which this suite's setup has built. */
test('the console server refuses to start with an invalid CONTROL_PLANE_URL, naming it', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [NEXT, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: WEB,
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      CONTROL_PLANE_URL: 'ftp://control-plane',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).toBe(1);
  expect(stderr).toContain('CONTROL_PLANE_URL: must be an http(s) URL');
});
