// REST benchmarks of the data plane against a bare node:http baseline, all as child processes,
// driven by the same raw-socket keep-alive load generator (its own process).
//   bench rest-vs-bare-node <ratio> x       boolean evaluations/s ÷ bare node:http fixed-body/s
//   bench rest-p99-at-half-load <ms> ms     p99 latency at a fixed rate of half our max
// The machine is shared (2 cores), so rounds alternate between the two servers and the best
// round of each counts: noise only ever slows a round down (likewise the lowest p99 of the
// fixed-rate rounds; every round is printed on stderr).
import { runJson, startJsonProcess, startSwitchyard, stop } from './data-plane-lib/processes.mjs';

const TOKEN = 'bench-token';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_DURATION_MS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const body = JSON.stringify({
  namespaceKey: 'default',
  flagKey: 'dark-mode',
  entityId: 'user-42',
  context: { plan: 'free', region: 'us' },
});

function load(port, extra) {
  const cfg = {
    host: '127.0.0.1',
    port,
    path: '/evaluate/v1/boolean',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body,
    connections: CONNECTIONS,
    durationMs: DURATION,
    warmupMs: 1000,
    mode: 'max',
    ...extra,
  };
  return runJson(['scripts/bench/data-plane-lib/http-load.mjs', JSON.stringify(cfg)]);
}

const bare = await startJsonProcess(['scripts/bench/data-plane-lib/bare-http.mjs'], (j) => j.port);
const sy = await startSwitchyard(TOKEN);
try {
  const bareRuns = [];
  const ourRuns = [];
  for (let i = 0; i < ROUNDS; i++) {
    bareRuns.push(await load(bare.info.port));
    const ours = await load(sy.info.httpPort);
    if (ours.errors > 0) throw new Error(`switchyard answered ${ours.errors} non-200 responses`);
    ourRuns.push(ours);
  }
  const best = (runs) => runs.reduce((a, b) => (b.rps > a.rps ? b : a));
  const bareBest = best(bareRuns);
  const ourBest = best(ourRuns);
  const rate = Math.floor(ourBest.rps / 2);
  const halves = [];
  for (let i = 0; i < ROUNDS; i++)
    halves.push(await load(sy.info.httpPort, { mode: 'rate', rate, connections: 64 }));
  const half = halves.reduce((a, b) => (b.p99 < a.p99 ? b : a));
  const fmt = (runs) => runs.map((r) => r.rps.toFixed(0)).join('/');
  process.stderr.write(
    `# bare ${fmt(bareRuns)} req/s; switchyard ${fmt(ourRuns)} req/s (p99 at max ${ourBest.p99.toFixed(2)} ms); at ${rate} req/s: p50 ${half.p50.toFixed(2)} ms, p99 ${halves.map((h) => h.p99.toFixed(2)).join('/')} ms, errors ${half.errors}\n`,
  );
  process.stdout.write(`bench rest-vs-bare-node ${(ourBest.rps / bareBest.rps).toFixed(2)} x\n`);
  process.stdout.write(`bench rest-p99-at-half-load ${half.p99.toFixed(2)} ms\n`);
} finally {
  await stop(sy.child);
  await stop(bare.child);
}
