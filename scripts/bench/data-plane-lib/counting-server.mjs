// A data plane started in-process from the built modules, serving the test fixture with one
// token, with evaluation counting on (`count`) or off, as instance mode and standalone mode run
// it. With counting on, the counters are drained every 5 s like the usage reporter does (the
// batch goes nowhere: this measures the hot path). Prints `{"httpPort":N}` once ready.
import { createLogger } from '../../../apps/data-plane/dist/logger.js';
import { parseInstanceConfig } from '../../../apps/data-plane/dist/config/instance-config.js';
import { UsageCounter } from '../../../apps/data-plane/dist/metrics/usage-counter.js';
import { startDataPlane } from '../../../apps/data-plane/dist/server.js';
import { startSync } from '../../../apps/data-plane/dist/sync/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [mode, token, dir] = process.argv.slice(2);
const config = parseInstanceConfig({
  host: '127.0.0.1',
  httpPort: 0,
  grpcPort: 0,
  dataDir: mkdtempSync(join(tmpdir(), 'sy-bench-counting-')),
  logLevel: 'warn',
  auth: { tokens: [{ token, environments: '*' }] },
  environments: [
    { key: 'default', default: true, source: { type: 'dir', path: dir, watch: false } },
  ],
});
const usage = mode === 'count' ? new UsageCounter() : undefined;
const dp = await startDataPlane(config, createLogger('warn'), startSync, { usage });
await dp.firstSync;
if (usage) setInterval(() => usage.drain(), 5_000).unref();
process.stdout.write(`${JSON.stringify({ httpPort: dp.httpPort, counting: Boolean(usage) })}\n`);
process.on('SIGTERM', () => void dp.close().then(() => process.exit(0)));
