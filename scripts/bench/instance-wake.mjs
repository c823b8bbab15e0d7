#!/usr/bin/env node
// Idle sleep and wake on real processes: the control plane (dist/main.js, fresh database), the
// worker (dist/worker.js, local driver, INSTANCE_IDLE_SLEEP=1s) and the edge (apps/edge/dist).
//   bench instance-wake-p50/p99 <ms> ms   sleeping instance → first answer through the
//                                         environment URL (the edge holds it while it wakes)
// On stderr, the same run's floor: starting `node` and importing the data plane's instance mode
// (a wake cannot be faster than a process start), to read the figure on a loaded machine.
// Each sample waits until the organisation's instance sleeps (status `sleeping`, process gone),
// then times one evaluation through the environment URL. Short profile 8 samples, --long 40.
// Everything it starts is stopped by pid at the end, and its database dropped.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT } from './data-plane-lib/processes.mjs';

const HOST = '127.0.0.1';
const SAMPLES = process.argv.includes('--long') ? 40 : 8;
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

/** The instance's process if it runs (a sleeping one's state keeps the pid it had). */
function livePid(state) {
  try {
    const cmd = readFileSync(`/proc/${state.pid}/cmdline`, 'utf8');
    const stat = readFileSync(`/proc/${state.pid}/stat`, 'utf8');
    return cmd.includes(state.instanceId) && !/\) Z /.test(stat) ? state.pid : undefined;
  } catch {
    return undefined;
  }
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
    INSTANCE_PORT_RANGE: `${base}-${base + 99}`,
    INSTANCE_LOG_LEVEL: 'warn',
    INSTANCE_IDLE_SLEEP: '1s',
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
  const status = async () =>
    (
      await db.query(
        'select i.status from instances i join organisations o on o.id = i."orgId" where o.slug = \'wake\'',
      )
    ).rows[0]?.status;

  try {
    const created = await api('POST', '/orgs', { slug: 'wake', name: 'Wake' });
    if (created.status !== 201) throw new Error(`create org: ${created.status}`);
    await until('instance ready', async () => (await status()) === 'ready', 60_000, 20);
    const environment = await api('POST', '/orgs/wake/environments', {
      key: 'production',
      name: 'Production',
    });
    const token = (
      await api('POST', '/orgs/wake/client-tokens', {
        name: 'bench',
        environments: ['production'],
      })
    ).json.token;
    const flagsPath = '/orgs/wake/environments/production/namespaces/default/flags';
    const etag = (await api('GET', flagsPath)).etag;
    const put = await api(
      'PUT',
      `${flagsPath}/bench-flag`,
      { key: 'bench-flag', name: 'Bench flag', type: 'BOOLEAN_FLAG_TYPE', enabled: true },
      { 'if-match': etag },
    );
    if (put.status >= 300) throw new Error(`flag write: ${put.status} ${JSON.stringify(put.json)}`);
    const url = environment.json.urls.rest;
    const evaluate = async () => {
      const res = await fetch(`${url}/evaluate/v1/boolean`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"namespaceKey":"default","flagKey":"bench-flag","entityId":"u1"}',
      });
      return res.ok ? (await res.json()).enabled : (await res.arrayBuffer(), res.status);
    };
    await until('evaluable through the edge', async () => (await evaluate()) === true, 60_000, 50);
    const samples = [];
    for (let i = 0; i < SAMPLES; i++) {
      await until('asleep', async () => (await status()) === 'sleeping', 60_000, 50);
      await until('process gone', () => instanceStates().every((s) => !livePid(s)), 30_000, 20);
      // The edge refreshes its routes every 250 ms: let it learn that the organisation sleeps.
      await sleep(400);
      const t0 = performance.now();
      const answer = await evaluate();
      const ms = performance.now() - t0;
      if (answer !== true) throw new Error(`wake ${i + 1}: answered ${answer}`);
      samples.push(ms);
    }
    samples.sort((a, b) => a - b);
    console.log(`bench instance-wake-p50 ${percentile(samples, 50).toFixed(1)} ms`);
    console.log(`bench instance-wake-p99 ${percentile(samples, 99).toFixed(1)} ms`);
    process.stderr.write(
      `# ${samples.length} wakes: ${samples.map((s) => s.toFixed(0)).join(' ')} ms\n`,
    );
    const floor = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      spawnSync(
        process.execPath,
        ['-e', "import('./apps/data-plane/dist/instance/instance-agent.js')"],
        { cwd: ROOT },
      );
      floor.push(performance.now() - t);
    }
    floor.sort((a, b) => a - b);
    process.stderr.write(
      `# floor in this run: node start + data-plane import ${floor[1].toFixed(0)} ms (median of 3)\n`,
    );
  } finally {
    await db.end();
  }
}

async function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await sleep(500);
  for (const s of instanceStates()) {
    const pid = livePid(s);
    if (pid) process.kill(pid, 'SIGKILL');
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
