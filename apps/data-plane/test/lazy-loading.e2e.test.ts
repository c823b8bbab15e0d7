/**
 * What an idle instance loads (issue 17: 50 idle instances under 2,500 MB). The built binary runs
 * with a probe preloaded that records every module the ES loader resolves, and on SIGUSR2 the
 * node builtins and CommonJS modules loaded so far. An instance serving a directory over REST
 * loads the bundle (dist/cli.js and its chunks) and no package from node_modules: not gRPC
 * (grpc-js, proto-loader, protobufjs, node:http2), not the instance-mode agent. The first gRPC
 * call loads them, which shows the probe sees them when they are there.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBinary, type RunningBinary } from './helpers/binary.js';
import { FIXTURE_DIR } from './helpers/fixture.js';
import { evaluationClient } from './helpers/grpc-client.js';

const TOKEN = 'lazy-secret';
const tmp = mkdtempSync(join(tmpdir(), 'switchyard-lazy-'));
const log = join(tmp, 'modules.log');

// Runs in the ES loader's thread: every resolved URL, one per line.
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, 'esm ' + r.url + '\\n');
  return r;
}`;
// Runs in the main thread: registers the hooks; SIGUSR2 appends builtins and CommonJS modules.
const PROBE = `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}));
const require = createRequire(process.cwd() + '/');
process.on('SIGUSR2', () => {
  const lines = [...process.moduleLoadList.map((m) => 'builtin ' + m), ...Object.keys(require.cache).map((f) => 'cjs ' + f)];
  appendFileSync(${JSON.stringify(log)}, lines.join('\\n') + '\\ndump\\n');
});`;

/** Asks the instance for its loaded modules and returns every line logged so far. */
async function loaded(bin: RunningBinary): Promise<string[]> {
  const dumps = () =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l === 'dump').length;
  const before = dumps();
  bin.child.kill('SIGUSR2');
  for (let i = 0; i < 200 && dumps() === before; i++) await new Promise((r) => setTimeout(r, 25));
  expect(dumps()).toBe(before + 1);
  return readFileSync(log, 'utf8').split('\n');
}

const GRPC = [
  /node_modules\/@grpc\//,
  /node_modules\/protobufjs\//,
  /^builtin NativeModule http2$/,
];

describe('an idle instance serving a directory', () => {
  let bin: RunningBinary;
  beforeAll(async () => {
    bin = await startBinary(
      ['--dir', FIXTURE_DIR, '--token', TOKEN, '--data-dir', join(tmp, 'data')],
      30_000,
      ['--import', `data:text/javascript,${encodeURIComponent(PROBE)}`],
    );
    await bin.waitForLog((l) => l.msg === 'first sync done', 30_000);
  });
  afterAll(async () => {
    await bin?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('loads the bundle only, and no gRPC, until a gRPC call arrives', async () => {
    const ok = await fetch(`${bin.url}/evaluate/v1/boolean`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ flagKey: 'dark-mode', entityId: 'u1' }),
    });
    expect(ok.status).toBe(200);
    const { enabled } = (await ok.json()) as { enabled: boolean };
    const atRest = await loaded(bin);
    const esm = atRest.filter((l) => l.startsWith('esm file:')).map((l) => l.slice(4));
    // The entry and its chunks (shared ones, and the lazy parts a directory source uses: the
    // config file path, the syncer); a package resolved from node_modules would be a leak.
    expect(esm.length).toBeGreaterThan(1);
    expect(
      esm.filter((u) => !/\/apps\/data-plane\/dist\/(cli|chunks\/[\w-]+)\.js$/.test(u)),
    ).toEqual([]);
    for (const re of GRPC) expect(atRest.filter((l) => re.test(l))).toEqual([]);
    expect(atRest.filter((l) => /instance-agent/.test(l))).toEqual([]);

    const grpc = evaluationClient(bin.grpc);
    try {
      const r = await grpc.call(
        'Boolean',
        { flagKey: 'dark-mode', entityId: 'u1' },
        { authorization: `Bearer ${TOKEN}` },
      );
      expect(r.flagKey).toBe('dark-mode');
      expect(r.enabled).toBe(enabled);
    } finally {
      grpc.close();
    }
    const afterGrpc = await loaded(bin);
    for (const re of GRPC) expect(afterGrpc.some((l) => re.test(l))).toBe(true);
  });
});
