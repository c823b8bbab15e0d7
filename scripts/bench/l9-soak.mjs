// L9 of the load matrix: a soak. One instance serves a directory rewritten with a new generation
// every swap interval while evaluations arrive at a fixed rate (open loop, one load segment per
// interval); its resident memory (/proc/<pid>/status), open descriptors (/proc/<pid>/fd) and
// active handles (its own /metrics, `nodejs_active_handles_total`) are sampled throughout. Start
// is the median of the first three samples after a warm-up segment, end the median of the last
// three, so one sample caught mid-GC does not decide it.
//   bench l9-rss-growth <pct> %            end vs. start RSS (the matrix: ≤ 10 %)
//   bench l9-fd-growth <n> count           end − start open descriptors (flat: 0)
//   bench l9-handle-growth <n> count       end − start active handles (flat: 0)
//   bench l9-errors <n> count              non-200 answers (must be 0)
//   bench l9-swaps-applied <n> count       generations the instance served, each checked once
//                                          after its swap (proves the swaps happened)
// The first segment warms the instance up and is not counted.
// Short profile: 200 req/s for 60 s, a swap every 10 s; `--long`: the matrix's 4 h at 1,000 req/s
// (half of L1's 2,000), a swap every 60 s. BENCH_L9_SECONDS overrides the duration.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { runJson, startSwitchyard, stop } from './data-plane-lib/processes.mjs';

const LONG = process.argv.includes('--long');
const SECONDS = Number(process.env.BENCH_L9_SECONDS ?? (LONG ? 4 * 3600 : 60));
const RATE = LONG ? 1_000 : 200;
const SWAP_MS = Math.min(LONG ? 60_000 : 10_000, SECONDS * 250);
const SEGMENTS = Math.max(4, Math.round((SECONDS * 1000) / SWAP_MS));
const TOKEN = 'bench-token';

const dir = mkdtempSync(join(tmpdir(), 'sy-bench-l9-'));
const root = join(dir, 'env');
mkdirSync(join(root, 'default'), { recursive: true });

/** A boolean flag for the load and a variant flag whose attachment names the generation. */
function write(gen) {
  const text = [
    'version: "1.4"',
    'namespace: default',
    'flags:',
    '  - key: soak',
    '    name: soak',
    '    type: BOOLEAN_FLAG_TYPE',
    '    enabled: true',
    '  - key: gen',
    '    name: gen',
    '    enabled: true',
    '    variants:',
    '      - key: v',
    '        default: true',
    `        attachment: {gen: ${gen}}`,
  ];
  writeFileSync(join(root, 'default', 'features.yaml'), `${text.join('\n')}\n`);
}

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const request = (flagKey) =>
  JSON.stringify({
    namespaceKey: 'default',
    flagKey,
    entityId: 'user-42',
    context: { plan: 'free' },
  });

/**
 * One request on a connection of its own, closed after the answer: the benchmark's own checks
 * leave no connection behind to count as a descriptor or handle of the instance.
 */
function call(port, method, path, body) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: { ...headers, connection: 'close' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function servedGeneration(port) {
  const res = await call(port, 'POST', '/evaluate/v1/variant', request('gen'));
  if (res.status !== 200) return -1;
  return JSON.parse(JSON.parse(res.text).variantAttachment).gen;
}

/** RSS, descriptors and active handles of the instance (the /metrics request's own socket included, every time). */
async function sample(pid, port) {
  const { text } = await call(port, 'GET', '/metrics');
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  return {
    rssMb: rssKb / 1024,
    fds: readdirSync(`/proc/${pid}/fd`).length,
    handles: Number(/^nodejs_active_handles_total (\d+)/m.exec(text)?.[1] ?? NaN),
  };
}

const median3 = (xs) => [...xs].sort((a, b) => a - b)[1];

write(0);
const sy = await startSwitchyard(TOKEN, root);
try {
  const { pid } = sy.child;
  const port = sy.info.httpPort;
  const samples = [];
  let errors = 0;
  let requests = 0;
  let applied = 0;
  for (let seg = 0; seg < SEGMENTS; seg++) {
    // Samples at a quarter, half and three quarters of each segment: the load generator's
    // connections are open then, the same number every time.
    const sampled = [1, 2, 3].map(
      (q) =>
        new Promise((resolve) =>
          setTimeout(
            () => void sample(pid, port).then(resolve, () => resolve(undefined)),
            (SWAP_MS * q) / 4,
          ),
        ),
    );
    const run = await runJson([
      'scripts/bench/data-plane-lib/http-load.mjs',
      JSON.stringify({
        host: '127.0.0.1',
        port,
        path: '/evaluate/v1/boolean',
        headers,
        body: request('soak'),
        connections: 16,
        durationMs: SWAP_MS,
        warmupMs: 0,
        mode: 'rate',
        rate: RATE,
      }),
    ]);
    // Segment 0 warms the instance up (JIT, pools) and is not counted.
    if (seg > 0) {
      errors += run.errors;
      requests += run.requests;
      samples.push(...(await Promise.all(sampled)).filter(Boolean));
    }
    write(seg + 1);
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && (await servedGeneration(port)) !== seg + 1)
      await new Promise((r) => setTimeout(r, 50));
    if ((await servedGeneration(port)) === seg + 1) applied++;
  }
  const measured = samples;
  if (measured.length < 6) throw new Error(`only ${measured.length} samples: run longer`);
  const at = (k, from) => median3(from.map((s) => s[k]));
  const [first, last] = [measured.slice(0, 3), measured.slice(-3)];
  const start = { rss: at('rssMb', first), fds: at('fds', first), handles: at('handles', first) };
  const end = { rss: at('rssMb', last), fds: at('fds', last), handles: at('handles', last) };
  process.stderr.write(
    `# ${requests} requests at ${RATE}/s over ${SEGMENTS - 1} segments of ${SWAP_MS / 1000} s; RSS ${start.rss.toFixed(1)} → ${end.rss.toFixed(1)} MB (max ${Math.max(...measured.map((s) => s.rssMb)).toFixed(1)}), fds ${start.fds} → ${end.fds}, handles ${start.handles} → ${end.handles}\n`,
  );
  const line = (name, value, unit) => process.stdout.write(`bench ${name} ${value} ${unit}\n`);
  line('l9-rss-growth', (((end.rss - start.rss) / start.rss) * 100).toFixed(1), '%');
  line('l9-fd-growth', end.fds - start.fds, 'count');
  line('l9-handle-growth', end.handles - start.handles, 'count');
  line('l9-errors', errors, 'count');
  line('l9-swaps-applied', applied, 'count');
} finally {
  await stop(sy.child);
  rmSync(dir, { recursive: true, force: true });
}
