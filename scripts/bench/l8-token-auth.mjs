// L8 of the load matrix: the token-auth hot path over many client tokens, in two parts.
// 1. Overhead. Two instances serve the same directory: one requires auth and holds N tokens, the
//    other runs without auth. Both get the same requests at the same fixed rate (the first's carry
//    the N tokens in turn, the second's none), alternately, five rounds each.
//   bench l8-token-auth-overhead-p95 <ms> ms     median round p95 with auth − without (target ≤ 1 ms)
//   bench l8-token-auth-overhead-p50 <ms> ms     the same at the median (less noisy)
//   bench l8-token-auth-errors <n> count         non-200 answers with auth (must be 0)
// 2. Lookups. The control plane, the worker and one organisation's instance (local driver, real
//    Postgres): client tokens minted through the API, then requests spread over them straight
//    to the instance. Every read or write of the token table during that phase is counted from
//    PostgreSQL's own statistics (pg_stat_user_tables: index and sequential scans of
//    client_tokens and client_token_environments), after the instance's usage reports landed.
//   bench l8-lookups-per-token <n> count         those scans per minted token, from each token's first request
//                                                on (verification is in memory on the instance;
//                                                the usage write is throttled to one per token a
//                                                minute, so ≤ 1 for a phase < 60 s)
//   bench l8-lookup-tokens <n> count             tokens minted for part 2
//   bench l8-tokens-accepted <n> count           of them, tokens the instance accepted (all)
// Short profile: 1,000 tokens, 400 req/s, 5 × 2 s per instance, then 250 tokens minted and a 10 s
// lookup phase; `--long`: 1,000 tokens, 1,000 req/s, 5 × 30 s, then 1,000 minted and a 50 s phase.
// BENCH_L8_TOKENS sets both counts.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, sleep, until } from './control-plane-lib/stack.mjs';
import { runJson, startJsonProcess, stop } from './data-plane-lib/processes.mjs';

const LONG = process.argv.includes('--long');
const N = Number(process.env.BENCH_L8_TOKENS ?? 1_000);
// Tokens minted through the API for part 2 (the short profile mints fewer: minting is the slow
// part, about 5 a second on 2 shared cores, and the result is per token).
const MINTED = Number(process.env.BENCH_L8_TOKENS ?? (LONG ? 1_000 : 250));
const RATE = LONG ? 1_000 : 400;
// BENCH_L8_QUICK=1 (the script's own test): 1 s rounds and a 2 s phase.
const QUICK = process.env.BENCH_L8_QUICK === '1';
const ROUND_MS = LONG ? 30_000 : QUICK ? 1_000 : 2_000;
const ROUNDS = QUICK ? 2 : 5;
const PHASE_MS = LONG ? 50_000 : QUICK ? 2_000 : 10_000;
// PostgreSQL flushes a busy backend's table statistics at most every second and an idle one's
// after 10 s: reading them 11 s after the last query sees every scan.
const STATS_SETTLE_MS = 11_000;
const line = (name, value, unit) => process.stdout.write(`bench ${name} ${value} ${unit}\n`);
const body = JSON.stringify({
  namespaceKey: 'default',
  flagKey: 'dark-mode',
  entityId: 'user-42',
  context: { plan: 'free' },
});

function load(port, tokens, headers = {}) {
  const cfg = {
    host: '127.0.0.1',
    port,
    path: '/evaluate/v1/boolean',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
    connections: 16,
    durationMs: ROUND_MS,
    warmupMs: 500,
    mode: 'rate',
    rate: RATE,
    tokens,
  };
  return runJson(['scripts/bench/data-plane-lib/http-load.mjs', JSON.stringify(cfg)]);
}

/** Part 1: auth (N tokens) vs. no auth, same directory, same rate, alternating rounds. */
async function overhead() {
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-l8-'));
  const tokens = Array.from({ length: N }, () => randomBytes(16).toString('hex'));
  const config = (auth) => {
    const path = join(dir, `${auth ? 'auth' : 'open'}.json`);
    writeFileSync(
      path,
      JSON.stringify({
        environments: [
          {
            key: 'default',
            source: {
              type: 'dir',
              path: join(process.cwd(), 'apps/data-plane/test/fixtures/flags'),
            },
          },
        ],
        auth: auth
          ? { required: true, tokens: tokens.map((token, i) => ({ name: `t${i}`, token })) }
          : { required: false },
      }),
    );
    return path;
  };
  const start = (auth) =>
    startJsonProcess(
      [
        'apps/data-plane/dist/cli.js',
        'serve',
        '--config',
        config(auth),
        '--host',
        '127.0.0.1',
        '--http-port',
        '0',
        '--grpc-port',
        '0',
        '--data-dir',
        join(dir, auth ? 'auth-data' : 'open-data'),
      ],
      (j) => j.msg === 'listening' && j.httpPort,
    );
  const [withAuth, without] = [await start(true), await start(false)];
  try {
    const runs = { auth: [], open: [] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.open.push(await load(without.info.httpPort, undefined));
      runs.auth.push(await load(withAuth.info.httpPort, tokens));
    }
    // The median round of each side: on a shared machine one round can catch a neighbour's burst.
    const median = (rs, k) => {
      const xs = rs.map((r) => r[k]).sort((a, b) => a - b);
      return xs.length % 2 ? xs[xs.length >> 1] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2;
    };
    const fmt = (rs) =>
      rs.map((r) => `p50 ${r.p50.toFixed(2)} p95 ${r.p95.toFixed(2)} ms`).join(', ');
    process.stderr.write(
      `# with ${N} tokens: ${fmt(runs.auth)}; without auth: ${fmt(runs.open)}\n`,
    );
    line(
      'l8-token-auth-overhead-p95',
      (median(runs.auth, 'p95') - median(runs.open, 'p95')).toFixed(3),
      'ms',
    );
    line(
      'l8-token-auth-overhead-p50',
      (median(runs.auth, 'p50') - median(runs.open, 'p50')).toFixed(3),
      'ms',
    );
    line(
      'l8-token-auth-errors',
      runs.auth.reduce((s, r) => s + r.errors, 0),
      'count',
    );
  } finally {
    await stop(withAuth.child);
    await stop(without.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Part 2: DB reads and writes of the token tables while N tokens are used. */
async function lookups() {
  const stack = await startStack({
    instances: 1,
    // Minting N tokens from one address in a minute is the benchmark's set-up, not abuse.
    env: { TOKEN_RATE_LIMIT_PER_MINUTE: '100000', TOKEN_RATE_LIMIT_PER_SCOPE_PER_MINUTE: '100000' },
  });
  const { db, api } = stack;
  try {
    if ((await api('POST', '/orgs', { slug: 'l8', name: 'L8' })).status !== 201)
      throw new Error('could not create the organisation');
    const env = await api('POST', '/orgs/l8/environments', {
      key: 'production',
      name: 'Production',
    });
    if (env.status !== 201) throw new Error(`create environment: ${env.status}`);
    const tokens = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next++; i < MINTED; i = next++) {
          const r = await api('POST', '/orgs/l8/client-tokens', {
            name: `l8-${i}`,
            environments: ['production'],
          });
          if (r.status !== 201)
            throw new Error(`mint token ${i}: ${r.status} ${JSON.stringify(r.json)}`);
          tokens.push(r.json.token);
        }
      }),
    );
    const endpoint = await until(
      'instance ready',
      async () =>
        (await db.query("select endpoint from instances where status = 'ready'")).rows[0]?.endpoint,
      120_000,
      250,
    );
    const port = Number(new URL(endpoint).port);
    const flags = '/orgs/l8/environments/production/namespaces/default/flags';
    const etag = (await api('GET', flags)).etag;
    const put = await api(
      'PUT',
      `${flags}/dark-mode`,
      { key: 'dark-mode', name: 'Dark mode', type: 'BOOLEAN_FLAG_TYPE', enabled: true },
      { 'if-match': etag },
    );
    if (put.status >= 300) throw new Error(`flag write: ${put.status} ${JSON.stringify(put.json)}`);
    const accepted = async (token) =>
      (
        await fetch(`${endpoint}/evaluate/v1/boolean`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'x-flipt-environment': 'production',
          },
          body,
        })
      ).status === 200;
    // The last token minted is served: the instance has fetched its configuration. Only that
    // token is used before the count starts, so the first verification of the others is in it.
    await until('the instance to hold every token', () => accepted(tokens.at(-1)), 60_000, 200);

    const scans = async () =>
      Number(
        (
          await db.query(
            `select coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0)::bigint n from pg_stat_user_tables
             where relname in ('client_tokens', 'client_token_environments')`,
          )
        ).rows[0].n,
      );
    const perIndex = async () =>
      Object.fromEntries(
        (
          await db.query(
            `select relname || '.' || coalesce(indexrelname, '') k, idx_scan n from pg_stat_user_indexes
             where relname in ('client_tokens', 'client_token_environments')
             union all select relname || ' seq', seq_scan from pg_stat_user_tables
             where relname in ('client_tokens', 'client_token_environments')`,
          )
        ).rows.map((r) => [r.k, Number(r.n)]),
      );
    await sleep(STATS_SETTLE_MS);
    const before = await scans();
    const beforeIdx = await perIndex();
    let ok = 0;
    for (const t of tokens) if (await accepted(t)) ok++;
    line('l8-lookup-tokens', MINTED, 'count');
    line('l8-tokens-accepted', ok, 'count');
    const run = await runJson([
      'scripts/bench/data-plane-lib/http-load.mjs',
      JSON.stringify({
        host: '127.0.0.1',
        port,
        path: '/evaluate/v1/boolean',
        headers: { 'Content-Type': 'application/json', 'x-flipt-environment': 'production' },
        body,
        connections: 8,
        durationMs: PHASE_MS,
        warmupMs: 0,
        mode: 'rate',
        rate: RATE,
        tokens,
      }),
    ]);
    // Every token's use reported and written (the instance reports every 5 s). Each poll scans
    // client_tokens once itself: those scans are subtracted.
    let polls = 0;
    await until(
      'usage reports',
      async () =>
        ++polls &&
        Number(
          (
            await db.query(
              'select count(*)::int n from client_tokens where "lastUsedAt" is not null',
            )
          ).rows[0].n,
        ) === MINTED,
      30_000,
      500,
    ).catch(() => process.stderr.write('# not every token use was reported within 30 s\n'));
    await sleep(STATS_SETTLE_MS);
    const total = (await scans()) - before - polls;
    const afterIdx = await perIndex();
    process.stderr.write(
      `# scans by index: ${Object.entries(afterIdx)
        .map(([k, n]) => `${k} ${n - (beforeIdx[k] ?? 0)}`)
        .join(', ')}\n`,
    );
    process.stderr.write(
      `# ${run.requests} requests over ${MINTED} tokens in ${PHASE_MS / 1000} s (${run.errors} non-200): ${total} scans of the token tables besides this benchmark's ${polls} polls\n`,
    );
    line('l8-lookup-phase-errors', run.errors, 'count');
    line('l8-lookups-per-token', (total / MINTED).toFixed(3), 'count');
  } finally {
    await stack.stop();
  }
}

await overhead();
await lookups();
