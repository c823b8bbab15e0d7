import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  instancePortRange,
  startDnsServer,
  startGitServer,
  type DnsRecords,
} from '@switchyard/testing';

/**
 * The real thing on ephemeral ports: a fresh PostgreSQL database, the built control plane
 * (`dist/main.js`, which migrates it), the provisioning worker (`dist/worker.js`, which starts one
 * real data-plane instance per organisation), the edge router (environment URLs), dev IdPs
 * (`dist/cli.js`: the platform login imitates Google; Okta- and Auth0-like ones for organisations'
 * own SSO connections), and `next start` of the built console proxying `/api/*` and `/git/*` to the
 * control plane. Redis is the machine's, under a queue prefix of its own. Two test servers stand in
 * for what a tenant brings: a smart-HTTP git server (external repositories; its origin is
 * allow-listed) and a DNS server the control plane resolves domain verifications with
 * (`DNS_RESOLVERS`); specs set its records over `dnsControlUrl` (they run in other processes).
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WEB = join(ROOT, 'apps/web');
const POSTGRES_ADMIN =
  process.env['POSTGRES_ADMIN_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const IDP_CLIENT = { id: 'switchyard', secret: 'dev-secret' };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A child process whose output is kept for the failure message. */
export interface Proc {
  child: ChildProcess;
  output: () => string;
}

function start(args: string[], env: Record<string, string>, cwd = ROOT): Proc {
  const child = spawn(process.execPath, args, {
    cwd,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => out };
}

async function waitFor(url: string, proc: Proc, label: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null)
      throw new Error(`${label} exited (${proc.child.exitCode}):\n${proc.output()}`);
    if (
      await fetch(url).then(
        (r) => r.status < 500,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${label} did not answer at ${url}:\n${proc.output()}`);
}

/** The dev IdP profiles an organisation's SSO connection can point at (each its own process). */
export type OrgIdpProfile = 'okta' | 'auth0';

/** What the tests need to reach a running stack (plain data: it crosses process boundaries). */
export interface StackInfo {
  consoleUrl: string;
  controlPlaneUrl: string;
  edgeUrl: string;
  /** The platform login's issuer (the Google-like dev IdP). */
  idpIssuer: string;
  /** Issuers of the organisation IdPs, by profile (Auth0's ends with a slash, as Auth0's does). */
  orgIdps: Record<OrgIdpProfile, string>;
  databaseUrl: string;
  /** The test git server (`${gitServerUrl}/<name>.git` serves `${gitProjectRoot}/<name>.git`). */
  gitServerUrl: string;
  gitProjectRoot: string;
  /** `PUT ${dnsControlUrl}/<name>` with a JSON {@link DnsRecords} body sets that name's records. */
  dnsControlUrl: string;
  /** Where the worker keeps the local instances (`<id>/instance.json` holds the pid and org). */
  instanceDir: string;
  /**
   * A webhook receiver on loopback (its origin is allow-listed like the git server's): every
   * request is answered 200 and recorded; `GET ${hookReceiverUrl}/received` lists them as JSON.
   */
  hookReceiverUrl: string;
}

export interface Stack extends StackInfo {
  procs: Record<string, Proc>;
  stop(): Promise<void>;
}

/** Paths the stack needs built (`npm test` builds first). */
export const BUILT = {
  controlPlane: join(ROOT, 'apps/control-plane/dist/main.js'),
  worker: join(ROOT, 'apps/control-plane/dist/worker.js'),
  edge: join(ROOT, 'apps/edge/dist/main.js'),
  dataPlane: join(ROOT, 'apps/data-plane/dist/cli.js'),
  devIdp: join(ROOT, 'apps/dev-idp/dist/cli.js'),
  console: join(WEB, '.next/BUILD_ID'),
};

export function isBuilt(): boolean {
  return Object.values(BUILT).every((p) => existsSync(p));
}

/** SIGTERMs every instance recorded under `dir` (they are detached: they outlive the worker). */
function stopInstances(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    try {
      const { pid } = JSON.parse(readFileSync(join(dir, name, 'instance.json'), 'utf8')) as {
        pid: number;
      };
      // By pid, and only if that pid is still this instance.
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name)) process.kill(pid, 'SIGKILL');
    } catch {
      // not running
    }
  }
}

export async function startStack(): Promise<Stack> {
  const ports = await Promise.all(Array.from({ length: 7 }, () => freePort()));
  const [webPort, cpPort, grpcPort, edgePort, idpPort, oktaPort, auth0Port] = ports as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const consoleUrl = `http://127.0.0.1:${webPort}`;
  const database = `sy_web_${randomBytes(5).toString('hex')}`;
  const u = new URL(POSTGRES_ADMIN);
  u.pathname = `/${database}`;
  const databaseUrl = u.toString();
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-web-'));
  const instanceDir = join(dataDir, 'instances');
  const gitProjectRoot = join(dataDir, 'git-server');
  mkdirSync(gitProjectRoot);
  const procs: Record<string, Proc> = {};
  const closers: Array<() => Promise<void>> = [];
  const callback = `${consoleUrl}/api/v1/auth/callback/*`;
  const stop = async () => {
    await Promise.all(
      Object.values(procs).map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
            p.child.once('exit', () => resolve());
            p.child.kill('SIGTERM');
            setTimeout(() => p.child.kill('SIGKILL'), 3000).unref();
          }),
      ),
    );
    stopInstances(instanceDir);
    await Promise.all(closers.map((close) => close()));
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  };

  const startIdp = async (name: string, profile: string, port: number): Promise<string> => {
    const idp = start(
      [
        BUILT.devIdp,
        '--port',
        String(port),
        '--profile',
        profile,
        '--client',
        `${IDP_CLIENT.id}:${IDP_CLIENT.secret}:${callback}`,
      ],
      { NODE_ENV: 'development' },
    );
    procs[name] = idp;
    const issuer = `http://127.0.0.1:${port}${profile === 'auth0' ? '/' : ''}`;
    await waitFor(
      `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
      idp,
      `dev IdP (${profile})`,
    );
    return issuer;
  };

  try {
    const controlPlaneUrl = `http://127.0.0.1:${cpPort}`;
    // The console boots (several seconds) while everything else starts.
    procs['console'] = start(
      [
        join(ROOT, 'node_modules/next/dist/bin/next'),
        'start',
        '-H',
        '127.0.0.1',
        '-p',
        String(webPort),
      ],
      { CONTROL_PLANE_URL: controlPlaneUrl, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      WEB,
    );
    const [idpIssuer, okta, auth0] = await Promise.all([
      startIdp('idp', 'google', idpPort),
      startIdp('oktaIdp', 'okta', oktaPort),
      startIdp('auth0Idp', 'auth0', auth0Port),
    ]);
    const [git, dns] = await Promise.all([
      startGitServer({ projectRoot: gitProjectRoot }),
      startDnsServer(),
    ]);
    closers.push(
      () => git.close(),
      () => dns.close(),
    );
    const dnsControl = await startDnsControl(dns.set.bind(dns));
    closers.push(() => new Promise<void>((resolve) => dnsControl.close(() => resolve())));
    const hookReceiver = await startHookReceiver();
    closers.push(() => new Promise<void>((resolve) => hookReceiver.close(() => resolve())));
    const cpEnv = {
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(cpPort),
      LOG_LEVEL: 'warn',
      // The console is the public origin: SSO callbacks and instances' hosted-git reads go through it.
      PUBLIC_URL: consoleUrl,
      ALLOWED_ORIGINS: consoleUrl,
      PLATFORM_OIDC_ISSUER: idpIssuer,
      PLATFORM_OIDC_CLIENT_ID: IDP_CLIENT.id,
      PLATFORM_OIDC_CLIENT_SECRET: IDP_CLIENT.secret,
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      INTERNAL_GRPC_PORT: String(grpcPort),
      CONTROL_PLANE_GRPC_URL: `grpc://127.0.0.1:${grpcPort}`,
      EDGE_TOKEN: `edge-${randomBytes(16).toString('hex')}`,
      EDGE_PUBLIC_URL: `http://127.0.0.1:${edgePort}`,
      INSTANCE_DATA_DIR: instanceDir,
      INSTANCE_PORT_RANGE: instancePortRange(),
      INSTANCE_LOG_LEVEL: 'warn',
      QUEUE_PREFIX: database,
      OUTBOX_POLL_MS: '100',
      // The dev IdPs are on loopback: their exact origins are allow-listed, as an operator would do.
      // So are the test git server's (and tenant git URLs may be plain http, an operator switch).
      OUTBOUND_ALLOWED_ORIGINS: [
        ...[idpPort, oktaPort, auth0Port].map((p) => `http://127.0.0.1:${p}`),
        git.url,
        controlUrl(hookReceiver),
      ].join(','),
      GIT_ALLOW_HTTP: 'true',
      DNS_RESOLVERS: dns.address,
      SWITCHYARD_DATA_DIR: dataDir,
    };
    procs['controlPlane'] = start([BUILT.controlPlane], cpEnv);
    // The edge polls the control plane for its route table until it answers.
    procs['edge'] = start([BUILT.edge], {
      EDGE_HOST: '127.0.0.1',
      EDGE_PORT: String(edgePort),
      EDGE_TOKEN: cpEnv.EDGE_TOKEN,
      CONTROL_PLANE_GRPC_URL: cpEnv.CONTROL_PLANE_GRPC_URL,
      EDGE_DATA_DIR: join(dataDir, 'edge'),
      ROUTE_REFRESH_MS: '200',
      LOG_LEVEL: 'warn',
    });
    await waitFor(`${controlPlaneUrl}/api/v1/health`, procs['controlPlane'], 'control plane');
    // The worker once the database is migrated.
    procs['worker'] = start([BUILT.worker], cpEnv);
    const edgeUrl = `http://127.0.0.1:${edgePort}`;
    await Promise.all([
      waitFor(`${edgeUrl}/health`, procs['edge'], 'edge'),
      waitFor(`${consoleUrl}/login`, procs['console'], 'console'),
    ]);
    return {
      consoleUrl,
      controlPlaneUrl,
      edgeUrl,
      idpIssuer,
      orgIdps: { okta, auth0 },
      databaseUrl,
      gitServerUrl: git.url,
      gitProjectRoot,
      dnsControlUrl: controlUrl(dnsControl),
      hookReceiverUrl: controlUrl(hookReceiver),
      instanceDir,
      procs,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A loopback webhook receiver: records every request (answers 200), lists them at `GET /received`. */
async function startHookReceiver(): Promise<Server> {
  const received: { path: string; headers: Record<string, unknown>; body: string }[] = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/received')
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(received));
      received.push({ path: req.url ?? '/', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** A loopback HTTP endpoint that sets the test DNS server's records: `PUT /<name>` with JSON records. */
async function startDnsControl(
  set: (name: string, records: DnsRecords | null) => void,
): Promise<Server> {
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const name = decodeURIComponent((req.url ?? '/').slice(1));
      if (req.method !== 'PUT' || !name) return void res.writeHead(405).end();
      try {
        set(name, JSON.parse(body) as DnsRecords | null);
        res.writeHead(204).end();
      } catch (e) {
        res.writeHead(400).end(String(e));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function controlUrl(server: Server): string {
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}
