/**
 * A local cloud for provisioning tests: the control plane (in-process, fresh database, internal
 * gRPC on a free port), the provisioning worker (in-process or as a child process), the edge
 * (child process of its built binary), a smart-HTTP git server, and instances as real child
 * processes of the data-plane binary. Redis is the machine's (a unique queue prefix per cloud).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createPrismaClient } from '@switchyard/db';
import {
  createGitRepo,
  instancePortRange,
  startFaultProxy,
  startGitServer,
  type FaultProxy,
  type GitRepo,
  type GitServer,
} from '@switchyard/testing';
import type { AppConfig } from '../../src/config/config.js';
import { InternalGrpcServer } from '../../src/internal-grpc/internal-grpc.server.js';
import { isInstanceProcess, listStates } from '../../src/provisioning/drivers/local-process.js';
import {
  startProvisioningWorker,
  type ProvisioningWorker,
} from '../../src/provisioning/provisioning.worker.js';
import { startApp, type Caller, type TestApp } from '../harness.js';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value (returned) or `timeoutMs` passes (throws with `what`). */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(
    `timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
  );
}

/** Flag file with one boolean flag `banner` and one variant flag `colour` (default variant `colourDefault`). */
export function flagsYaml(bannerEnabled: boolean, colourDefault = 'blue'): string {
  return [
    'version: "1.4"',
    'namespace:',
    '  key: default',
    'flags:',
    '  - key: banner',
    '    name: Banner',
    '    type: BOOLEAN_FLAG_TYPE',
    `    enabled: ${bannerEnabled}`,
    '  - key: colour',
    '    name: Colour',
    '    enabled: true',
    '    variants:',
    '      - key: blue',
    ...(colourDefault === 'blue' ? ['        default: true'] : []),
    '      - key: green',
    ...(colourDefault === 'green' ? ['        default: true'] : []),
    '',
  ].join('\n');
}

/** Options of {@link startCloud}. */
export interface CloudOptions {
  /** Start the worker in this process (default true). */
  inProcessWorker?: boolean;
  /** Start the edge (default true). */
  edge?: boolean;
  /** Extra control-plane environment. */
  env?: Record<string, string>;
  /** Serve the HTTP API on a port (hosted git repositories are read by instances over HTTP). */
  listen?: boolean;
  /**
   * Host-form environment URLs `{env}.{org}.<evalDomain>:<edge port>`: the control plane builds
   * them and the edge routes them (names must resolve to 127.0.0.1, e.g. through a test DNS server).
   */
  evalDomain?: string;
  /**
   * Instances reach the internal gRPC through a fault proxy (`Cloud.grpcProxy`), so a test can
   * cut them off the control plane (an outage) while the API keeps answering.
   */
  instanceGrpcProxy?: boolean;
}

/** A running local cloud. */
export interface Cloud {
  t: TestApp;
  config: AppConfig;
  grpcUrl: string;
  edgeUrl: string;
  edgeToken: string;
  instanceDir: string;
  git: GitServer;
  gitRoot: string;
  worker: ProvisioningWorker | undefined;
  /** Between instances and the internal gRPC (with `instanceGrpcProxy`). */
  grpcProxy: FaultProxy | undefined;
  /** Environment for a worker child process equal to the in-process one. */
  workerEnv: Record<string, string>;
  repo(name?: string): Promise<GitRepo>;
  /** Org created through the API by a fresh owner; returns slug, id and the owner's PAT caller. */
  createOrg(slug: string): Promise<{ id: string; slug: string; owner: Caller }>;
  /** The org's instance row once `status` is one of `statuses`. */
  waitInstance(
    orgId: string,
    statuses?: string[],
    timeoutMs?: number,
  ): Promise<{ id: string; status: string; endpoint: string | null }>;
  startEdge(): Promise<void>;
  stopEdge(): Promise<void>;
  /** The edge's recent output (diagnostics). */
  edgeOutput(): string;
  close(): Promise<void>;
}

const children = new Set<ChildProcess>();

/** Starts `node <script>` with `env`; output is kept for diagnostics. */
export function startChild(
  script: string,
  env: Record<string, string>,
): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  children.add(child);
  child.once('exit', () => children.delete(child));
  return Object.assign(child, { output: () => out });
}

/** SIGKILLs every instance process recorded under `dir` (cleanup; by pid, never by name). */
export function killInstances(dir: string): void {
  for (const s of listStates(dir)) {
    // A sleeping instance's state keeps the pid it had: never signal a pid that is not ours now.
    if (!isInstanceProcess(s.pid, s.instanceId)) continue;
    try {
      process.kill(s.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Deletes this cloud's queue keys (BullMQ's keys do not expire); a Redis that is gone has none. */
async function deleteKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2_000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: pattern, count: 500 }))
      if ((keys as string[]).length) await redis.del(...(keys as string[]));
  } catch {
    // A fault test stopped its private Redis: nothing of this cloud is left there.
  } finally {
    redis.disconnect();
  }
}

export async function startCloud(options: CloudOptions = {}): Promise<Cloud> {
  const instanceDir = mkdtempSync(join(tmpdir(), 'sy-instances-'));
  const edgeDir = mkdtempSync(join(tmpdir(), 'sy-edge-'));
  const gitRoot = mkdtempSync(join(tmpdir(), 'sy-git-'));
  const queuePrefix = `sytest${randomBytes(4).toString('hex')}`;
  const edgePort = await freePort();
  const edgeToken = `edge-${randomBytes(16).toString('hex')}`;
  const grpcPort = await freePort();
  const httpPort = options.listen ? await freePort() : 0;
  // Started first: its exact origin is the one private git host instances may reach (allow-list).
  const git = await startGitServer({ projectRoot: gitRoot });
  const grpcProxy = options.instanceGrpcProxy
    ? await startFaultProxy({ host: '127.0.0.1', port: grpcPort })
    : undefined;
  const env: Record<string, string> = {
    ...(options.listen
      ? { PUBLIC_URL: `http://127.0.0.1:${httpPort}`, GIT_DATA_DIR: join(gitRoot, 'hosted') }
      : {}),
    INTERNAL_GRPC_PORT: String(grpcPort),
    CONTROL_PLANE_GRPC_URL: `grpc://${grpcProxy?.address ?? `127.0.0.1:${grpcPort}`}`,
    EDGE_TOKEN: edgeToken,
    EDGE_PUBLIC_URL: `http://127.0.0.1:${edgePort}`,
    INSTANCE_DATA_DIR: instanceDir,
    INSTANCE_PORT_RANGE: instancePortRange(),
    INSTANCE_LOG_LEVEL: 'warn',
    OUTBOUND_ALLOWED_ORIGINS: new URL(git.url).origin,
    GIT_ALLOW_HTTP: 'true',
    QUEUE_PREFIX: queuePrefix,
    // The worker processes here provision; the scheduler (a whole Nest app) is tested on its own.
    WORKER_ROLES: 'provisioning',
    WORKER_LOCK_DURATION_MS: '2000',
    WORKER_STALLED_INTERVAL_MS: '1000',
    RECONCILE_INTERVAL_MS: '2000',
    OUTBOX_POLL_MS: '100',
    ...(options.evalDomain ? { EVAL_DOMAIN: `${options.evalDomain}:${edgePort}` } : {}),
    ...(options.env ?? {}),
  };
  const t = await startApp(env);
  if (options.listen) await t.app.listen({ port: httpPort, host: '127.0.0.1' });
  const port = await t.app.get(InternalGrpcServer).start();
  if (port !== grpcPort) throw new Error(`internal gRPC bound ${port}, expected ${grpcPort}`);
  const workerEnv = {
    ...env,
    NODE_ENV: 'test',
    DATABASE_URL: t.database.url,
    LOG_LEVEL: 'warn',
    REDIS_URL: t.config.redisUrl,
  };
  const workerDb = createPrismaClient({ databaseUrl: t.database.url, maxConnections: 4 });
  const worker =
    options.inProcessWorker === false
      ? undefined
      : startProvisioningWorker({
          config: t.config,
          db: workerDb,
          logger: pino({ level: 'silent' }),
        });
  let edge: (ChildProcess & { output: () => string }) | undefined;
  const cloud: Cloud = {
    t,
    config: t.config,
    grpcUrl: `grpc://127.0.0.1:${grpcPort}`,
    edgeUrl: `http://127.0.0.1:${edgePort}`,
    edgeToken,
    instanceDir,
    git,
    gitRoot,
    worker,
    grpcProxy,
    workerEnv,
    repo: (name) => createGitRepo({ projectRoot: gitRoot, ...(name ? { name } : {}) }),
    async createOrg(slug) {
      const owner = await t.user(`owner-${slug}@example.com`);
      const res = await t.call(owner.pat, {
        method: 'POST',
        url: '/api/v1/orgs',
        body: { slug, name: slug },
      });
      if (res.status !== 201)
        throw new Error(`create org: ${res.status} ${JSON.stringify(res.json)}`);
      return { id: res.json.id as string, slug, owner: owner.pat };
    },
    waitInstance(orgId, statuses = ['ready'], timeoutMs = 20_000) {
      return until(
        `instance of ${orgId} in ${statuses.join('|')}`,
        async () => {
          const row = await t.db.instance.findUnique({ where: { orgId } });
          return row && statuses.includes(row.status) ? row : undefined;
        },
        timeoutMs,
      );
    },
    async startEdge() {
      edge = startChild(`${ROOT}apps/edge/dist/main.js`, {
        EDGE_PORT: String(edgePort),
        EDGE_TOKEN: edgeToken,
        CONTROL_PLANE_GRPC_URL: `grpc://127.0.0.1:${grpcPort}`,
        EDGE_DATA_DIR: edgeDir,
        ROUTE_REFRESH_MS: '200',
        LOG_LEVEL: 'warn',
        ...(options.evalDomain ? { EVAL_DOMAIN: options.evalDomain } : {}),
      });
      await until(
        'edge health',
        async () => (await fetch(`http://127.0.0.1:${edgePort}/health`)).ok,
        10_000,
      );
    },
    edgeOutput: () => edge?.output() ?? '',
    async stopEdge() {
      if (!edge || edge.exitCode !== null) return;
      const e = edge;
      await new Promise((r) => {
        e.once('exit', r);
        e.kill('SIGTERM');
      });
    },
    async close() {
      await cloud.stopEdge();
      await worker?.close({ stopInstances: true }).catch(() => undefined);
      await workerDb.$disconnect();
      for (const c of children) c.kill('SIGKILL');
      killInstances(instanceDir);
      await git.close();
      await grpcProxy?.close();
      await deleteKeys(t.config.redisUrl, `${queuePrefix}:*`);
      await t.close();
      // SY_KEEP_DIRS=1 keeps instance logs and state for debugging a failed run.
      if (!process.env['SY_KEEP_DIRS'])
        for (const d of [instanceDir, edgeDir, gitRoot])
          rmSync(d, { recursive: true, force: true });
    },
  };
  if (options.edge !== false) await cloud.startEdge();
  return cloud;
}
