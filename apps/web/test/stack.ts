import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * The real thing on ephemeral ports: a fresh PostgreSQL database, the built control plane
 * (`dist/main.js`, which migrates it), the dev IdP (`dist/cli.js`) as the platform login, and
 * `next start` of the built console proxying `/api/*` to the control plane.
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

export interface Stack {
  consoleUrl: string;
  controlPlaneUrl: string;
  idpIssuer: string;
  databaseUrl: string;
  procs: Record<string, Proc>;
  /** Starts another dev IdP (for an organisation's own SSO connection). */
  startIdp(profile: 'google' | 'okta' | 'auth0' | 'generic'): Promise<string>;
  stop(): Promise<void>;
}

/** Paths the stack needs built (`npm test` builds first). */
export const BUILT = {
  controlPlane: join(ROOT, 'apps/control-plane/dist/main.js'),
  devIdp: join(ROOT, 'apps/dev-idp/dist/cli.js'),
  console: join(WEB, '.next/BUILD_ID'),
};

export function isBuilt(): boolean {
  return Object.values(BUILT).every((p) => existsSync(p));
}

export async function startStack(): Promise<Stack> {
  const [webPort, cpPort, idpPort, orgIdpPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const consoleUrl = `http://127.0.0.1:${webPort}`;
  const database = `sy_web_${randomBytes(5).toString('hex')}`;
  const u = new URL(POSTGRES_ADMIN);
  u.pathname = `/${database}`;
  const databaseUrl = u.toString();
  const gitDir = mkdtempSync(join(tmpdir(), 'sy-web-git-'));
  const procs: Record<string, Proc> = {};
  const idps: Proc[] = [];
  const callback = `${consoleUrl}/api/v1/auth/callback/*`;

  const startIdp = async (profile: string, port?: number): Promise<string> => {
    const p = port ?? (await freePort());
    const idp = start(
      [
        BUILT.devIdp,
        '--port',
        String(p),
        '--profile',
        profile,
        '--client',
        `${IDP_CLIENT.id}:${IDP_CLIENT.secret}:${callback}`,
      ],
      { NODE_ENV: 'development' },
    );
    idps.push(idp);
    const issuer = `http://127.0.0.1:${p}${profile === 'okta-custom' ? '/oauth2/default' : ''}`;
    await waitFor(`${issuer}/.well-known/openid-configuration`, idp, `dev IdP (${profile})`);
    return profile === 'auth0' ? `${issuer}/` : issuer;
  };

  const idpIssuer = await startIdp('generic', idpPort);
  procs['idp'] = idps[0]!;
  procs['controlPlane'] = start([BUILT.controlPlane], {
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(cpPort),
    LOG_LEVEL: 'warn',
    // The console is the public origin: SSO callbacks come back through its /api proxy.
    PUBLIC_URL: consoleUrl,
    ALLOWED_ORIGINS: consoleUrl,
    PLATFORM_OIDC_ISSUER: idpIssuer,
    PLATFORM_OIDC_CLIENT_ID: IDP_CLIENT.id,
    PLATFORM_OIDC_CLIENT_SECRET: IDP_CLIENT.secret,
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    INTERNAL_GRPC_PORT: '0',
    QUEUE_PREFIX: database,
    // The dev IdPs are on loopback: their exact origins are allow-listed, as an operator would do.
    OUTBOUND_ALLOWED_ORIGINS: `http://127.0.0.1:${idpPort},http://127.0.0.1:${orgIdpPort}`,
    SWITCHYARD_DATA_DIR: gitDir,
    GIT_DATA_DIR: gitDir,
    INSTANCE_DATA_DIR: join(gitDir, 'instances'),
  });
  const controlPlaneUrl = `http://127.0.0.1:${cpPort}`;
  await waitFor(`${controlPlaneUrl}/api/v1/health`, procs['controlPlane'], 'control plane');
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
  await waitFor(`${consoleUrl}/login`, procs['console'], 'console');

  return {
    consoleUrl,
    controlPlaneUrl,
    idpIssuer,
    databaseUrl,
    procs,
    // The first organisation IdP takes the port the control plane already allow-lists.
    startIdp: (profile) => startIdp(profile, idps.length === 1 ? orgIdpPort : undefined),
    async stop() {
      const all = [...Object.values(procs), ...idps];
      await Promise.all(
        all.map(
          (p) =>
            new Promise<void>((resolve) => {
              if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
              p.child.once('exit', () => resolve());
              p.child.kill('SIGTERM');
              setTimeout(() => p.child.kill('SIGKILL'), 3000).unref();
            }),
        ),
      );
      const admin = new pg.Client({ connectionString: POSTGRES_ADMIN });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
      rmSync(gitDir, { recursive: true, force: true });
    },
  };
}
