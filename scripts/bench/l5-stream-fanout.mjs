// L5 of the load matrix: streaming fan-out. N idle snapshot streams (NDJSON client-snapshot
// streams; SSE refetch events with BENCH_L5_SSE=1) with TCP keepalive to one instance, spread
// over a few client processes; then the served directory is rewritten with a new generation, and
// each stream's arrival time of the new snapshot is recorded.
//   bench l5-streams <n> count               streams open when the change was written
//   bench l5-stream-errors <n> count         streams that failed to open or broke
//   bench l5-stream-late <n> count           open streams the change never reached (deadline 30 s)
//   bench l5-stream-first <ms> ms            file written → first stream has it (watch + build)
//   bench l5-stream-fanout-p99 <ms> ms       file written → 99 % of streams have it (target < 5,000)
// Times count from the file write, so they include the instance noticing and compiling the change.
// Short profile: 10,000 streams held 5 s; `--long`: 10,000 streams held 15 minutes (the matrix's
// idle period, with keepalive probes at 30 s), then the swap. BENCH_L5_STREAMS overrides the count.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, stop } from './data-plane-lib/processes.mjs';

const LONG = process.argv.includes('--long');
const STREAMS = Number(process.env.BENCH_L5_STREAMS ?? 10_000);
const SSE = process.env.BENCH_L5_SSE === '1';
const HOLD_MS = LONG ? 15 * 60_000 : 5_000;
const PER_CLIENT = 2_500;
const TOKEN = 'bench-token';
const DEADLINE_MS = 30_000;

const dir = mkdtempSync(join(tmpdir(), 'sy-bench-l5-'));
const root = join(dir, 'env');
mkdirSync(join(root, 'default'), { recursive: true });
const marker = (gen) => `fanout-generation-${gen}-`;

function write(gen) {
  const text = [
    'version: "1.4"',
    'namespace: default',
    'flags:',
    '  - key: fanout',
    '    name: fanout',
    `    description: ${marker(gen)}`,
    '    enabled: true',
  ];
  writeFileSync(join(root, 'default', 'features.yaml'), `${text.join('\n')}\n`);
}

/** `node <args>` with the fd limit raised to the hard limit (each stream is a descriptor). */
function spawnNode(args, stdin = 'ignore') {
  const quoted = args.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  return spawn(
    '/bin/sh',
    ['-c', `ulimit -n "$(ulimit -Hn)"; exec '${process.execPath}' ${quoted}`],
    {
      cwd: ROOT,
      stdio: [stdin, 'pipe', 'inherit'],
    },
  );
}

/** Resolves with the first stdout JSON line of `child` that satisfies `pred`. */
function nextJson(child, pred, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`timeout waiting for ${what}`)), timeoutMs);
    const onExit = (code) => reject(new Error(`${what}: process exited with ${code}`));
    const onData = (c) => {
      buf += c;
      for (let i; (i = buf.indexOf('\n')) >= 0;) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        let j;
        try {
          j = JSON.parse(line);
        } catch {
          continue;
        }
        if (pred(j)) {
          clearTimeout(timer);
          child.stdout.off('data', onData);
          child.off('exit', onExit);
          return resolve(j);
        }
      }
    };
    child.once('exit', onExit);
    child.stdout.setEncoding('utf8').on('data', onData);
  });
}

write(0);
const children = [];
const dataDir = join(dir, 'data');
const server = spawnNode([
  'apps/data-plane/dist/cli.js',
  'serve',
  '--dir',
  root,
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
]);
children.push(server);
try {
  const { httpPort } = await nextJson(server, (j) => j.httpPort, 20_000, 'instance');
  server.stdout.resume();
  const path = SSE
    ? '/ofrep/v1/_stream/default/default/events'
    : '/client/v2/environments/default/namespaces/default/stream';
  const clients = [];
  for (let left = STREAMS; left > 0; left -= PER_CLIENT) {
    const cfg = {
      port: httpPort,
      path,
      token: TOKEN,
      count: Math.min(PER_CLIENT, left),
      sse: SSE,
      keepAliveMs: 30_000,
      marker: SSE ? 'refetchEvaluation' : marker(1),
    };
    const c = spawnNode(
      ['scripts/bench/data-plane-lib/stream-clients.mjs', JSON.stringify(cfg)],
      'pipe',
    );
    c.stdin.on('error', () => undefined); // a client that already reported has exited
    children.push(c);
    clients.push(c);
  }
  const t0 = performance.now();
  const readies = await Promise.all(
    clients.map((c) => nextJson(c, (j) => 'ready' in j, 120_000, 'streams to open')),
  );
  const opened = readies.reduce((s, r) => s + r.ready, 0);
  process.stderr.write(
    `# ${opened} of ${STREAMS} ${SSE ? 'SSE' : 'NDJSON'} streams open in ${((performance.now() - t0) / 1000).toFixed(1)} s; holding ${HOLD_MS / 1000} s\n`,
  );
  await new Promise((r) => setTimeout(r, HOLD_MS));

  const written = performance.timeOrigin + performance.now();
  write(1);
  // Each client reports once all its streams have the change; at the deadline the rest are asked.
  const deadline = setTimeout(() => {
    for (const c of clients) if (c.exitCode === null) c.stdin.write('report\n');
  }, DEADLINE_MS);
  const results = await Promise.all(
    clients.map((c) => nextJson(c, (j) => 'arrivals' in j, DEADLINE_MS + 30_000, 'report')),
  );
  clearTimeout(deadline);
  const arrivals = results.flatMap((r) => r.arrivals.map((t) => t - written)).sort((a, b) => a - b);
  const errors = results.reduce((s, r) => s + r.errors, 0);
  const late = results.reduce((s, r) => s + r.late, 0);
  const open = results.reduce((s, r) => s + r.open, 0);
  const p99Index = Math.ceil(opened * 0.99) - 1;
  const p99 = arrivals.length > p99Index ? arrivals[p99Index] : NaN;
  process.stderr.write(
    `# change reached ${arrivals.length} streams: first ${arrivals[0]?.toFixed(0)} ms, median ${arrivals[arrivals.length >> 1]?.toFixed(0)} ms, last ${arrivals.at(-1)?.toFixed(0)} ms; ${open} still open\n`,
  );
  const line = (name, value, unit) => process.stdout.write(`bench ${name} ${value} ${unit}\n`);
  line('l5-streams', opened, 'count');
  line('l5-stream-errors', errors, 'count');
  line('l5-stream-late', late, 'count');
  line('l5-stream-first', (arrivals[0] ?? NaN).toFixed(0), 'ms');
  line('l5-stream-fanout-p99', p99.toFixed(0), 'ms');
  if (opened === 0) throw new Error('no stream opened: the benchmark measured nothing');
} finally {
  for (const c of children.reverse()) await stop(c);
  rmSync(dir, { recursive: true, force: true });
}
