// L3 of the load matrix: snapshot swaps under load. An instance serves a directory whose file is
// rewritten with a new generation every swap interval while batch evaluations arrive at a
// constant rate. Both flags of a batch carry the generation in their attachment, so a response
// that mixes two snapshots shows two generations; per connection the generation may only grow.
//   bench l3-mixed-snapshot-responses <n> count   batches answered from two snapshots (must be 0)
//   bench l3-generation-went-back <n> count       answers older than an earlier one on the same connection
//   bench l3-failed-responses <n> count           non-200 answers and transport errors
//   bench l3-swap-p99 <ms> ms                     p99 latency while swapping
//   bench l3-swaps-seen <n> count                 generations observed (proves the swaps happened)
// Short profile: 200 batches/s, a swap every 500 ms for 10 s; `--long`: a swap every 10 s, 60 swaps.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSwitchyard, stop } from './data-plane-lib/processes.mjs';

const LONG = process.argv.includes('--long');
const RATE = LONG ? 500 : 200;
const SWAP_MS = LONG ? 10_000 : 500;
const SWAPS = LONG ? 60 : 20;
const TOKEN = 'bench-token';

const dir = mkdtempSync(join(tmpdir(), 'sy-bench-l3-'));
const root = join(dir, 'env');
mkdirSync(join(root, 'default'), { recursive: true });

/** Two flags whose only (default) variant carries the generation. */
function write(gen) {
  const flag = (key) => [
    `  - key: ${key}`,
    `    name: ${key}`,
    '    enabled: true',
    '    variants:',
    '      - key: v',
    '        default: true',
    `        attachment: {gen: ${gen}}`,
  ];
  const text = [
    'version: "1.4"',
    'namespace: default',
    'flags:',
    ...flag('gen-a'),
    ...flag('gen-b'),
  ];
  // Rewritten in place (one small write): with a file renamed over the old one, the directory
  // watcher (Node 20's recursive fs.watch on Linux) noticed 3 of 19 swaps here, the rest came
  // with the slower safety poll. A read that caught half a file would fail to build and keep the
  // previous snapshot serving, which this benchmark would count as a swap not seen.
  writeFileSync(join(root, 'default', 'features.yaml'), `${text.join('\n')}\n`);
}

write(0);
const sy = await startSwitchyard(TOKEN, root);
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
const body = JSON.stringify({
  requests: ['gen-a', 'gen-b'].map((flagKey) => ({
    namespaceKey: 'default',
    flagKey,
    entityId: 'user-42',
    context: { plan: 'free' },
  })),
});
const stats = { mixed: 0, back: 0, failed: 0, seen: new Set(), latencies: [] };
const lastOnSocket = new WeakMap();

function batch() {
  const due = performance.now();
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: sy.info.httpPort,
        path: '/evaluate/v1/batch',
        method: 'POST',
        agent,
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c));
        res.on('end', () => {
          stats.latencies.push(performance.now() - due);
          if (res.statusCode !== 200) {
            stats.failed++;
            return resolve();
          }
          const gens = JSON.parse(text).responses.map(
            (r) => JSON.parse(r.variantResponse.variantAttachment).gen,
          );
          if (gens[0] !== gens[1]) stats.mixed++;
          const socket = req.socket;
          const gen = Math.min(...gens);
          if (gen < (lastOnSocket.get(socket) ?? -1)) stats.back++;
          lastOnSocket.set(socket, gen);
          for (const g of gens) stats.seen.add(g);
          resolve();
        });
      },
    );
    req.on('error', () => {
      stats.failed++;
      resolve();
    });
    req.end(body);
  });
}

try {
  const inflight = new Set();
  const start = performance.now();
  let sent = 0;
  let gen = 0;
  const swapper = setInterval(() => write(++gen), SWAP_MS);
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      if (elapsed >= SWAP_MS * SWAPS) {
        clearInterval(timer);
        return resolve();
      }
      for (const due = Math.floor((elapsed / 1000) * RATE); sent < due; sent++) {
        const p = batch().then(() => inflight.delete(p));
        inflight.add(p);
      }
    }, 2);
  });
  clearInterval(swapper);
  await Promise.all(inflight);
  stats.latencies.sort((a, b) => a - b);
  const p99 = stats.latencies[Math.floor(stats.latencies.length * 0.99)] ?? NaN;
  process.stderr.write(
    `# ${stats.latencies.length} batches at ${RATE}/s, ${gen} swaps written, generations seen ${stats.seen.size}\n`,
  );
  const line = (name, value, unit) => process.stdout.write(`bench ${name} ${value} ${unit}\n`);
  line('l3-mixed-snapshot-responses', stats.mixed, 'count');
  line('l3-generation-went-back', stats.back, 'count');
  line('l3-failed-responses', stats.failed, 'count');
  line('l3-swap-p99', p99.toFixed(2), 'ms');
  line('l3-swaps-seen', stats.seen.size, 'count');
  if (stats.seen.size < 2)
    throw new Error('no swap reached the instance: the benchmark measured nothing');
} finally {
  agent.destroy();
  await stop(sy.child);
  rmSync(dir, { recursive: true, force: true });
}
