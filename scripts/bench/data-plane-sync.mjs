// Push-to-evaluable latency of git sync, end to end through the real binary:
//   bench git-push-to-evaluable-p99 <ms> ms
// Each iteration pushes a commit over smart HTTP (git http-backend behind libs/testing's server),
// calls POST /api/switchyard/v1/refresh, then evaluates over REST until the new variant answers.
// The clock starts before the push, so the number includes git push, fetch, build and swap.
// Needs the built packages (npm run bench builds first). Target: < 1000 ms.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitRepo, startGitServer } from '@switchyard/testing';
import { startJsonProcess, stop } from './data-plane-lib/processes.mjs';

const ITERATIONS = Number(process.env.BENCH_SYNC_ITERATIONS ?? 50);
const TOKEN = 'bench-sync-token';

function featuresYaml(color) {
  return `version: "1.4"
namespace: default
flags:
  - key: color
    name: Color
    type: VARIANT_FLAG_TYPE
    enabled: true
    variants:
      - key: ${color}
    rules:
      - segment: everyone
        distributions:
          - variant: ${color}
            rollout: 100
segments:
  - key: everyone
    name: Everyone
    match_type: ALL_MATCH_TYPE
`;
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const root = await mkdtemp(join(tmpdir(), 'sy-bench-git-'));
const dataDir = await mkdtemp(join(tmpdir(), 'sy-bench-data-'));
const server = await startGitServer({ projectRoot: root });
const repo = await createGitRepo({ projectRoot: root, name: 'flags' });
const remote = `${server.url}/flags.git`;
await repo.commitFiles({ 'default/features.yaml': featuresYaml('c0') }, 'initial', remote);

const sy = await startJsonProcess(
  [
    'apps/data-plane/dist/cli.js',
    'serve',
    '--git',
    remote,
    '--branch',
    'main',
    '--poll',
    '3600s',
    // The loopback git server is reachable only when its exact origin is allow-listed.
    '--allow-origin',
    new URL(server.url).origin,
    '--token',
    TOKEN,
    '--host',
    '127.0.0.1',
    '--http-port',
    '0',
    '--grpc-port',
    '0',
    '--data-dir',
    dataDir,
    '--log-level',
    'info',
  ],
  (j) => j.msg === 'listening',
);
const base = `http://127.0.0.1:${sy.info.httpPort}`;
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

async function variant() {
  const res = await fetch(`${base}/evaluate/v1/variant`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      namespaceKey: 'default',
      flagKey: 'color',
      entityId: 'e1',
      context: {},
    }),
  });
  if (!res.ok) return undefined;
  return (await res.json()).variantKey;
}

try {
  for (let i = 0; i < 200 && (await variant()) !== 'c0'; i++)
    await new Promise((r) => setTimeout(r, 50));
  const totals = [];
  const afterPush = [];
  for (let i = 1; i <= ITERATIONS; i++) {
    const color = `c${i}`;
    const t0 = performance.now();
    await repo.commitFiles({ 'default/features.yaml': featuresYaml(color) }, `bench ${i}`, remote);
    const t1 = performance.now();
    const refresh = await fetch(`${base}/api/switchyard/v1/refresh?environment=default`, {
      method: 'POST',
      headers,
    });
    if (!refresh.ok) throw new Error(`refresh answered ${refresh.status}: ${await refresh.text()}`);
    let seen = await variant();
    for (let spins = 0; seen !== color; spins++) {
      if (spins > 2000)
        throw new Error(`iteration ${i}: ${color} never became evaluable (still ${seen})`);
      seen = await variant();
    }
    const t2 = performance.now();
    totals.push(t2 - t0);
    afterPush.push(t2 - t1);
  }
  totals.sort((a, b) => a - b);
  afterPush.sort((a, b) => a - b);
  const f = (x) => x.toFixed(1);
  process.stderr.write(
    `# ${ITERATIONS} pushes: push→evaluable p50 ${f(percentile(totals, 50))} ms, p99 ${f(percentile(totals, 99))} ms, max ${f(totals.at(-1))} ms; ` +
      `refresh→evaluable (after the push returned) p50 ${f(percentile(afterPush, 50))} ms, p99 ${f(percentile(afterPush, 99))} ms\n`,
  );
  process.stdout.write(`bench git-push-to-evaluable-p99 ${f(percentile(totals, 99))} ms\n`);
} finally {
  await stop(sy.child);
  await server.close();
  await repo.cleanup();
  await rm(dataDir, { recursive: true, force: true });
}
