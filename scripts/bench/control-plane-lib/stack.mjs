// The control-plane stack for benchmarks, on real processes: a fresh PostgreSQL database (cloned
// from the migrated template the test suites share), the control plane (dist/main.js), the worker
// (dist/worker.js, local driver: one detached data-plane process per organisation) and a queue
// prefix of its own in the machine's Redis. `stop()` ends every process it or its driver started
// (by pid), drops the database, removes the queue keys and the directories.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, MIGRATIONS_DIR } from '@switchyard/db';
import { createTestDatabase } from '@switchyard/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ROOT } from '../data-plane-lib/processes.mjs';

const HOST = '127.0.0.1';
const ADMIN_URL = process.env.POSTGRES_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Resolves after `ms`. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value (thrown errors count as "not yet"). */
export async function until(what, fn, timeoutMs = 60_000, everyMs = 50) {
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

function portFree(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, HOST, () => s.close(() => resolve(true)));
  });
}

/** A free port from `BENCH_PORTS` (lo-hi, default 21400-21499), else any free port. */
async function freePort(taken) {
  const [lo, hi] = (process.env.BENCH_PORTS ?? '21400-21499').split('-').map(Number);
  const start = lo + Math.floor(Math.random() * (hi - lo + 1));
  for (let i = 0; i <= hi - lo; i++) {
    const p = lo + ((start - lo + i) % (hi - lo + 1));
    if (!taken.has(p) && (await portFree(p))) {
      taken.add(p);
      return p;
    }
  }
  throw new Error(`no free port in ${lo}-${hi}`);
}

/** Whether a pid is alive. */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a child (SIGTERM, SIGKILL after `ms`) and resolves once it has exited. */
function exited(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts the stack. `instances` is how many organisations it must hold (two instance ports
 * each, from a range above the shared test ranges); `env` overrides control-plane variables.
 */
export async function startStack({ instances = 10, env: extra = {} } = {}) {
  const database = await createTestDatabase({
    migrationsDir: MIGRATIONS_DIR,
    migrate: (url) =>
      migrate({ databaseUrl: url, migrationsDir: MIGRATIONS_DIR }).then(() => undefined),
    adminUrl: ADMIN_URL,
  });
  const databaseUrl = database.url;
  const dirs = {
    instances: mkdtempSync(join(tmpdir(), 'sy-bench-instances-')),
    git: mkdtempSync(join(tmpdir(), 'sy-bench-git-')),
  };
  const prefix = `sybench${randomBytes(3).toString('hex')}`;
  const taken = new Set();
  const [cpPort, grpcPort] = [await freePort(taken), await freePort(taken)];
  const width = 2 * instances + 20;
  const base = 40_000 + Math.floor(Math.random() * Math.floor(20_000 / width)) * width;
  const env = {
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    HOST,
    PORT: String(cpPort),
    PUBLIC_URL: `http://${HOST}:${cpPort}`,
    LOG_LEVEL: 'warn',
    SWITCHYARD_SECRET: randomBytes(32).toString('hex'),
    INTERNAL_GRPC_PORT: String(grpcPort),
    CONTROL_PLANE_GRPC_URL: `grpc://${HOST}:${grpcPort}`,
    INSTANCE_DATA_DIR: dirs.instances,
    INSTANCE_PORT_RANGE: `${base}-${base + width - 1}`,
    INSTANCE_LOG_LEVEL: 'warn',
    GIT_DATA_DIR: dirs.git,
    QUEUE_PREFIX: prefix,
    RATE_LIMIT_KEY_PREFIX: prefix,
    OUTBOX_POLL_MS: '100',
    ...extra,
  };
  const children = [];
  const start = (script) => {
    const child = spawn(process.execPath, [join(ROOT, script)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };

  /** Instance states the local driver wrote (instance.json: pid, ports). */
  const instanceStates = () =>
    readdirSync(dirs.instances).flatMap((id) => {
      try {
        return [
          { id, ...JSON.parse(readFileSync(join(dirs.instances, id, 'instance.json'), 'utf8')) },
        ];
      } catch {
        return [];
      }
    });

  /**
   * Live data-plane processes of this stack, found in /proc by their argv (the driver passes
   * `--data-dir <INSTANCE_DATA_DIR>/<id>/data`): [{pid, instanceId}].
   */
  const instanceProcesses = () =>
    readdirSync('/proc').flatMap((pid) => {
      if (!/^\d+$/.test(pid)) return [];
      let argv;
      try {
        argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      } catch {
        return [];
      }
      const i = argv.indexOf('--instance-id');
      const d = argv.indexOf('--data-dir');
      if (i < 0 || d < 0 || !argv[d + 1]?.startsWith(`${dirs.instances}/`)) return [];
      return [{ pid: Number(pid), instanceId: argv[i + 1] }];
    });

  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('provisioning', { connection: redis, prefix });
  let db;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // The worker first, and waited for: while it runs, its supervisor restarts any instance
    // stopped under it (a run that stopped instances first left twenty restarted ones behind).
    await Promise.all(children.map((c) => exited(c, 10_000)));
    for (let pass = 0; pass < 3; pass++) {
      // Only processes whose argv names this stack's directory: a pid from instance.json may
      // have been reused by an unrelated process since.
      const live = instanceProcesses().map((p) => p.pid);
      if (live.length === 0) break;
      for (const pid of live) process.kill(pid, 'SIGTERM');
      await until('instances to stop', () => live.every((p) => !alive(p)), 5_000).catch(() => {
        for (const pid of live) if (alive(pid)) process.kill(pid, 'SIGKILL');
      });
    }
    await db?.end().catch(() => undefined);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close().catch(() => undefined);
    await redis.quit().catch(() => undefined);
    await database.drop().catch(() => undefined);
    for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  };
  // A benchmark stopped from outside (a test timeout, Ctrl-C) still cleans up.
  for (const sig of ['SIGINT', 'SIGTERM'])
    process.once(sig, () => void stop().finally(() => process.exit(130)));

  try {
    // The database is migrated already (a template clone): the control plane, the worker and the
    // bootstrap command (which builds the app itself to mint a token) start at once.
    const cp = start('apps/control-plane/dist/main.js');
    start('apps/control-plane/dist/worker.js');
    const boot = spawn(
      process.execPath,
      [join(ROOT, 'apps/control-plane/dist/bootstrap.js'), '--email', 'bench@example.com'],
      { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    boot.stdout.on('data', (d) => (out += d));
    const booted = new Promise((r) => boot.on('exit', r));
    await until(
      'control plane',
      async () =>
        cp.exitCode === null && (await fetch(`http://${HOST}:${cpPort}/api/v1/health`)).ok,
      90_000,
      200,
    );
    const code = await booted;
    if (code !== 0) throw new Error(`bootstrap exited with ${code}`);
    const pat = out.trim().split('\n').pop();
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    /** Calls the control-plane API as the bootstrap admin: {status, etag, json}. */
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
    /**
     * Provisioning jobs not yet finished, by name, besides the periodic `reconcile` ones (the
     * reconciler enqueues one per instance every interval: they are the steady state, not work
     * left over); and jobs that failed for good.
     */
    const queueBacklog = async () => {
      const jobs = await queue.getJobs(['wait', 'active', 'delayed', 'prioritized', 'paused']);
      const left = jobs.filter((j) => j && j.name !== 'reconcile');
      return {
        left: left.length,
        names: left.map((j) => j.name),
        failed: (await queue.getJobCounts('failed')).failed,
      };
    };
    return { env, db, api, instanceStates, instanceProcesses, queueBacklog, stop, children };
  } catch (e) {
    await stop();
    throw e;
  }
}
