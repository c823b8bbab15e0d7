// REST throughput with evaluation counting (instance mode) against the same server without it,
// both child processes of the built data plane, driven by the same keep-alive load generator.
//   bench counting-overhead <pct> %    (1 − counting req/s ÷ plain req/s) × 100; < 5 is the goal
//   bench counting-ns-per-evaluation <ns> ns   the counter increment alone, in process (steady
//                                       against load noise; ÷ the time of one request = its share)
// Rounds alternate between the two servers and the best round of each counts (noise on the
// shared machine only ever slows a round down; every round is printed on stderr).
import { UsageCounter } from '../../apps/data-plane/dist/metrics/usage-counter.js';
import { runJson, startJsonProcess, stop } from './data-plane-lib/processes.mjs';

const TOKEN = 'bench-token';
const DIR = 'apps/data-plane/test/fixtures/flags';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const body = JSON.stringify({
  namespaceKey: 'default',
  flagKey: 'dark-mode',
  entityId: 'user-42',
  context: { plan: 'free', region: 'us' },
});

function load(port) {
  return runJson([
    'scripts/bench/data-plane-lib/http-load.mjs',
    JSON.stringify({
      host: '127.0.0.1',
      port,
      path: '/evaluate/v1/boolean',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body,
      connections: Number(process.env.BENCH_CONNECTIONS ?? 32),
      durationMs: Number(process.env.BENCH_DURATION_MS ?? 3000),
      warmupMs: 1000,
      mode: 'max',
    }),
  ]);
}

const server = (mode) =>
  startJsonProcess(['scripts/bench/data-plane-lib/counting-server.mjs', mode, TOKEN, DIR], (j) =>
    Boolean(j.httpPort),
  );
const plain = await server('plain');
const counting = await server('count');
try {
  const runs = { plain: [], count: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const [name, s] of [
      ['plain', plain],
      ['count', counting],
    ]) {
      const r = await load(s.info.httpPort);
      if (r.errors > 0) throw new Error(`${name}: ${r.errors} non-200 responses`);
      runs[name].push(r.rps);
    }
  }
  const best = (xs) => Math.max(...xs);
  const fmt = (xs) => xs.map((x) => x.toFixed(0)).join('/');
  process.stderr.write(`# plain ${fmt(runs.plain)} req/s; counting ${fmt(runs.count)} req/s\n`);
  const pct = (1 - best(runs.count) / best(runs.plain)) * 100;
  process.stdout.write(`bench counting-overhead ${pct.toFixed(1)} %\n`);
  // The increment alone: best of 5 runs of 2M counts over 4 keys (flag and value strings reused,
  // as the evaluation service passes the snapshot's own strings).
  const counter = new UsageCounter();
  const keys = ['dark-mode', 'checkout', 'banner', 'colour'];
  let bestNs = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < 2_000_000; i++)
      counter.count('default', 'default', keys[i & 3], 'true', 'DEFAULT_EVALUATION_REASON');
    bestNs = Math.min(bestNs, Number(process.hrtime.bigint() - t) / 2_000_000);
    counter.drain();
  }
  process.stderr.write(
    `# ${bestNs.toFixed(0)} ns per count = ${((bestNs * best(runs.plain)) / 1e7).toFixed(2)} % of a request at ${best(runs.plain).toFixed(0)} req/s\n`,
  );
  process.stdout.write(`bench counting-ns-per-evaluation ${bestNs.toFixed(0)} ns\n`);
} finally {
  await stop(plain.child);
  await stop(counting.child);
}
