// L1 of the load matrix: REST evaluation at a constant arrival rate (open loop: latency counts
// from when a request was due, so queueing is not hidden), 80 % boolean and 20 % variant
// requests with a 1 kB context, against a bare node:http server at the same rate in the same run.
//   bench l1-rest-p95 <ms> ms           server p95 (the worse of the boolean and variant streams)
//   bench l1-rest-p99 <ms> ms           server p99 (likewise)
//   bench l1-rest-errors <pct> %        non-200 answers
//   bench l1-rest-cpu <pct> %           the instance's CPU time over the measured window, of one core
//   bench l1-rest-p99-vs-bare <x> x     our p99 ÷ bare node:http's p99 at the same rate
// Short profile: 400 req/s for 5 s; `--long`: the matrix's 2,000 req/s for 10 minutes.
import { readFileSync } from 'node:fs';
import { runJson, startJsonProcess, startSwitchyard, stop } from './data-plane-lib/processes.mjs';

const LONG = process.argv.includes('--long');
const RATE = Number(process.env.BENCH_RATE ?? (LONG ? 2000 : 400));
const DURATION = LONG ? 600_000 : 5_000;
const TOKEN = 'bench-token';

/** About 1 kB of context, as the matrix specifies. */
const context = { plan: 'free', region: 'us' };
for (let i = 0; JSON.stringify(context).length < 1000; i++) context[`attr_${i}`] = `value-${i}-x`;
const request = (flagKey) =>
  JSON.stringify({ namespaceKey: 'default', flagKey, entityId: 'user-42', context });

function load(port, path, flagKey, rate) {
  const cfg = {
    host: '127.0.0.1',
    port,
    path,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: request(flagKey),
    connections: 32,
    durationMs: DURATION,
    warmupMs: 1000,
    mode: 'rate',
    rate,
  };
  return runJson(['scripts/bench/data-plane-lib/http-load.mjs', JSON.stringify(cfg)]);
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
}

const bare = await startJsonProcess(['scripts/bench/data-plane-lib/bare-http.mjs'], (j) => j.port);
const sy = await startSwitchyard(TOKEN);
try {
  // The baseline gets the same two generator processes, so both see the same client overhead.
  const bareRuns = await Promise.all([
    load(bare.info.port, '/evaluate/v1/boolean', 'dark-mode', RATE * 0.8),
    load(bare.info.port, '/evaluate/v1/boolean', 'dark-mode', RATE * 0.2),
  ]);
  const bareRun = bareRuns[0].p99 > bareRuns[1].p99 ? bareRuns[0] : bareRuns[1];
  const cpu0 = cpuSeconds(sy.child.pid);
  const t0 = performance.now();
  const [bool, variant] = await Promise.all([
    load(sy.info.httpPort, '/evaluate/v1/boolean', 'dark-mode', RATE * 0.8),
    load(sy.info.httpPort, '/evaluate/v1/variant', 'color', RATE * 0.2),
  ]);
  const cpu = ((cpuSeconds(sy.child.pid) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
  const requests = bool.requests + variant.requests;
  const errors = bool.errors + variant.errors;
  const p95 = Math.max(bool.p95, variant.p95);
  const p99 = Math.max(bool.p99, variant.p99);
  const fmt = (r) =>
    `${r.rps.toFixed(0)} req/s p50 ${r.p50.toFixed(2)} p95 ${r.p95.toFixed(2)} p99 ${r.p99.toFixed(2)} ms, ${r.errors} errors`;
  process.stderr.write(
    `# at ${RATE} req/s: boolean ${fmt(bool)}; variant ${fmt(variant)}; bare ${fmt(bareRun)}\n`,
  );
  const line = (name, value, unit) =>
    process.stdout.write(`bench ${name} ${value.toFixed(2)} ${unit}\n`);
  line('l1-rest-p95', p95, 'ms');
  line('l1-rest-p99', p99, 'ms');
  line('l1-rest-errors', requests ? (errors / requests) * 100 : 100, '%');
  line('l1-rest-cpu', cpu, '%');
  line('l1-rest-p99-vs-bare', p99 / bareRun.p99, 'x');
} finally {
  await stop(sy.child);
  await stop(bare.child);
}
