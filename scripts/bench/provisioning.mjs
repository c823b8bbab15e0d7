#!/usr/bin/env node
// Provisioning benchmark on real processes: the control plane (dist/main.js, fresh database),
// the worker (dist/worker.js, local driver) and the edge (apps/edge/dist/main.js).
//   bench provision-to-ready <s> s          POST /orgs → instance status ready (database)
//   bench edit-to-evaluable-p50/p99 <ms> ms  flag API PUT → the new answer through the environment URL (100 edits)
//   bench insights-lag-p99 <ms> ms           one evaluation through the environment URL → counted in the
//                                            usage API (instances ship counts every 5 s; 20 samples)
//   bench instances-50-rss <MB> MB           total RSS of 50 idle organisation instances
// Everything it starts is stopped by pid at the end, and its database dropped.
// `BENCH_PROVISIONING_SKIP_RSS=1` skips the fifty instances (for repeated latency runs).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT } from './data-plane-lib/processes.mjs';

const HOST = '127.0.0.1';
const ADMIN_URL = process.env.POSTGRES_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const database = `sy_bench_${randomBytes(4).toString('hex')}`;
const databaseUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
const dirs = {
  instances: mkdtempSync(join(tmpdir(), 'sy-bench-instances-')),
  edge: mkdtempSync(join(tmpdir(), 'sy-bench-edge-')),
  git: mkdtempSync(join(tmpdir(), 'sy-bench-git-')),
};
const children = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function start(script, env) {
  const child = spawn(process.execPath, [join(ROOT, script)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

async function until(what, fn, timeoutMs = 60_000, everyMs = 20) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {
      /* not yet */
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function instanceStates() {
  return readdirSync(dirs.instances).flatMap((id) => {
    try {
      return [JSON.parse(readFileSync(join(dirs.instances, id, 'instance.json'), 'utf8'))];
    } catch {
      return [];
    }
  });
}

function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

async function main() {
  const [cpPort, grpcPort, edgePort] = [await freePort(), await freePort(), await freePort()];
  const base = 30_000 + Math.floor(Math.random() * 200) * 100;
  const edgeToken = randomBytes(24).toString('hex');
  const env = {
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    HOST,
    PORT: String(cpPort),
    PUBLIC_URL: `http://${HOST}:${cpPort}`,
    LOG_LEVEL: 'warn',
    SWITCHYARD_SECRET: randomBytes(32).toString('hex'),
    INTERNAL_GRPC_PORT: String(grpcPort),
    CONTROL_PLANE_GRPC_URL: `grpc://${HOST}:${grpcPort}`,
    EDGE_TOKEN: edgeToken,
    EDGE_PUBLIC_URL: `http://${HOST}:${edgePort}`,
    INSTANCE_DATA_DIR: dirs.instances,
    INSTANCE_PORT_RANGE: `${base}-${base + 199}`,
    INSTANCE_LOG_LEVEL: 'warn',
    GIT_DATA_DIR: dirs.git,
    QUEUE_PREFIX: `sybench${randomBytes(3).toString('hex')}`,
    OUTBOX_POLL_MS: '100',
  };
  const cp = start('apps/control-plane/dist/main.js', env);
  await until(
    'control plane',
    async () => (await fetch(`http://${HOST}:${cpPort}/api/v1/health`)).ok && cp.exitCode === null,
    60_000,
    200,
  );
  start('apps/control-plane/dist/worker.js', env);
  start('apps/edge/dist/main.js', {
    EDGE_HOST: HOST,
    EDGE_PORT: String(edgePort),
    EDGE_TOKEN: edgeToken,
    CONTROL_PLANE_GRPC_URL: env.CONTROL_PLANE_GRPC_URL,
    EDGE_DATA_DIR: dirs.edge,
    ROUTE_REFRESH_MS: '250',
    LOG_LEVEL: 'warn',
  });
  const boot = spawn(
    process.execPath,
    [join(ROOT, 'apps/control-plane/dist/bootstrap.js'), '--email', 'bench@example.com'],
    { cwd: ROOT, env: { ...process.env, ...env } },
  );
  let out = '';
  boot.stdout.on('data', (d) => (out += d));
  await new Promise((r) => boot.on('exit', r));
  const pat = out.trim().split('\n').pop();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const api = async (method, path, body, headers = {}) => {
    const res = await fetch(`http://${HOST}:${cpPort}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${pat}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return {
      status: res.status,
      etag: res.headers.get('etag'),
      json: await res.json().catch(() => undefined),
    };
  };
  const status = async (slug) =>
    (
      await db.query(
        'select i.status from instances i join organisations o on o.id = i."orgId" where o.slug = $1',
        [slug],
      )
    ).rows[0]?.status;

  try {
    // 1. Provision to ready.
    const t0 = performance.now();
    const created = await api('POST', '/orgs', { slug: 'bench', name: 'Bench' });
    if (created.status !== 201) throw new Error(`create org: ${created.status}`);
    await until('instance ready', async () => (await status('bench')) === 'ready', 30_000, 10);
    console.log(`bench provision-to-ready ${((performance.now() - t0) / 1000).toFixed(2)} s`);

    // 2. Edit to evaluable, through the environment URL, 100 edits via the flag API.
    const env1 = await api('POST', '/orgs/bench/environments', {
      key: 'production',
      name: 'Production',
    });
    const token = (
      await api('POST', '/orgs/bench/client-tokens', {
        name: 'bench',
        environments: ['production'],
      })
    ).json.token;
    const url = env1.json.urls.rest;
    const evaluate = async () => {
      const res = await fetch(`${url}/evaluate/v1/boolean`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"namespaceKey":"default","flagKey":"bench-flag","entityId":"u1"}',
      });
      return res.ok ? (await res.json()).enabled : (await res.arrayBuffer(), undefined);
    };
    const flagsPath = '/orgs/bench/environments/production/namespaces/default/flags';
    let etag = (await api('GET', flagsPath)).etag;
    const put = async (enabled) => {
      const r = await api(
        'PUT',
        `${flagsPath}/bench-flag`,
        { key: 'bench-flag', name: 'Bench flag', type: 'BOOLEAN_FLAG_TYPE', enabled },
        { 'if-match': etag },
      );
      if (r.status >= 300) throw new Error(`flag write: ${r.status} ${JSON.stringify(r.json)}`);
      etag = r.etag ?? `"${r.json.revision}"`;
    };
    await put(false);
    await until(
      'environment evaluable through the edge',
      async () => (await evaluate()) === false,
      60_000,
      50,
    );
    const samples = [];
    for (let i = 1; i <= 100; i++) {
      const want = i % 2 === 1;
      const s = performance.now();
      await put(want);
      await until(`edit ${i} served`, async () => (await evaluate()) === want, 10_000, 2);
      samples.push(performance.now() - s);
    }
    samples.sort((a, b) => a - b);
    console.log(`bench edit-to-evaluable-p50 ${percentile(samples, 50).toFixed(1)} ms`);
    console.log(`bench edit-to-evaluable-p99 ${percentile(samples, 99).toFixed(1)} ms`);

    // 2b. Evaluation → visible in the usage API. Waits for the counts of the edits above to
    // settle first, so each sample's one evaluation is the only one in flight.
    const usagePath = `/orgs/bench/environments/production/namespaces/default/flags/bench-flag/usage`;
    const counted = async () => {
      const now = Date.now();
      const q = `granularity=minute&from=${new Date(now - 3_600_000).toISOString()}&to=${new Date(now + 120_000).toISOString()}`;
      const r = await api('GET', `${usagePath}?${q}`);
      if (r.status !== 200) throw new Error(`usage: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json.total;
    };
    let settled = -1;
    await until(
      'evaluation counts settled',
      async () => {
        const before = await counted();
        await sleep(6_000);
        const after = await counted();
        settled = after;
        return before === after && after > 0;
      },
      60_000,
      0,
    );
    const lags = [];
    for (let i = 0; i < Number(process.env.BENCH_INSIGHTS_SAMPLES ?? 20); i++) {
      const s = performance.now();
      if ((await evaluate()) === undefined) throw new Error('evaluation failed');
      await until(
        `evaluation ${i} counted`,
        async () => (await counted()) === settled + 1,
        30_000,
        20,
      );
      lags.push(performance.now() - s);
      settled += 1;
    }
    lags.sort((a, b) => a - b);
    process.stderr.write(
      `# insights lag p50 ${percentile(lags, 50).toFixed(0)} ms over ${lags.length}\n`,
    );
    console.log(`bench insights-lag-p99 ${percentile(lags, 99).toFixed(0)} ms`);

    // 3. Fifty idle instances.
    if (process.env.BENCH_PROVISIONING_SKIP_RSS === '1') return;
    for (let i = 1; i < 50; i++) {
      const r = await api('POST', '/orgs', { slug: `bench-${i}`, name: `Bench ${i}` });
      if (r.status !== 201) throw new Error(`create org ${i}: ${r.status}`);
    }
    await until(
      '50 instances ready',
      async () =>
        Number(
          (await db.query("select count(*) from instances where status = 'ready'")).rows[0].count,
        ) === 50,
      120_000,
      250,
    );
    await sleep(3_000);
    const states = instanceStates();
    const total = states.reduce((sum, s) => sum + rssMb(s.pid), 0);
    console.log(`bench instances-50-rss ${total.toFixed(0)} MB`);
    process.stderr.write(
      `# ${states.length} instances, ${(total / states.length).toFixed(1)} MB each on average\n`,
    );
  } finally {
    await db.end();
  }
}

async function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await sleep(500);
  for (const s of instanceStates()) {
    try {
      process.kill(s.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`).catch(() => undefined);
  await admin.end();
  for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
}

void main()
  .then(cleanup, async (e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    await cleanup();
    process.exit(1);
  })
  .then(() => process.exit(0));
