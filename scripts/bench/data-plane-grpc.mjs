// gRPC benchmark: Boolean evaluations/s of the data plane ÷ a bare grpc-js server returning a
// fixed response, same closed-loop gRPC-over-node:http2 load generator (own process), alternating rounds,
// best round of each (the machine is shared).
//   bench grpc-vs-bare-grpc <ratio> x
import { runJson, startJsonProcess, startSwitchyard, stop } from './data-plane-lib/processes.mjs';

const TOKEN = 'bench-token';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION_MS ?? 3000);

const load = (address, token) =>
  runJson([
    'scripts/bench/data-plane-lib/grpc-load.mjs',
    JSON.stringify({
      address,
      token,
      concurrency: 64,
      channels: 2,
      durationMs: DURATION,
      warmupMs: 1000,
    }),
  ]);

const bare = await startJsonProcess(['scripts/bench/data-plane-lib/bare-grpc.mjs'], (j) => j.port);
const sy = await startSwitchyard(TOKEN);
try {
  const bareRuns = [];
  const ourRuns = [];
  for (let i = 0; i < ROUNDS; i++) {
    bareRuns.push(await load(`127.0.0.1:${bare.info.port}`));
    const ours = await load(`127.0.0.1:${sy.info.grpcPort}`, TOKEN);
    if (ours.errors > 0) throw new Error(`switchyard failed ${ours.errors} calls`);
    ourRuns.push(ours);
  }
  const best = (runs) => Math.max(...runs.map((r) => r.rps));
  const fmt = (runs) => runs.map((r) => r.rps.toFixed(0)).join('/');
  process.stderr.write(
    `# bare grpc ${fmt(bareRuns)} calls/s; switchyard ${fmt(ourRuns)} calls/s\n`,
  );
  process.stdout.write(
    `bench grpc-vs-bare-grpc ${(best(ourRuns) / best(bareRuns)).toFixed(2)} x\n`,
  );
} finally {
  await stop(sy.child);
  await stop(bare.child);
}
