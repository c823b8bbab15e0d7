#!/usr/bin/env node
// `npm start`: sets up and runs the local Switchyard cloud on this machine.
// 1. installs dependencies when node_modules is missing, 2. makes sure git, PostgreSQL and Redis
// run (scripts/ensure-services.sh), 3. builds, 4. starts every service below as a child process:
// the dev identity provider, the control plane (migrates its database first, internal gRPC on 9100),
// the console (Next.js on 3001, proxying /api to the control plane; the SSO callback comes back to it),
// the provisioning worker (starts one data-plane instance per organisation, on demand),
// the edge router (environment URLs on 8088) and a standalone instance serving examples/flags,
// 5. creates a "development" environment and a client token for the bootstrapped org, waits until
// it evaluates through its environment URL, and prints where to go next.
// Ctrl-C stops everything (organisation instances included). State lives in .switchyard/.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const state = join(root, '.switchyard');
const HOST = '127.0.0.1';
const PORTS = {
  controlPlane: 3000,
  console: 3001,
  http: 8080,
  grpc: 9000,
  edge: 8088,
  internalGrpc: 9100,
  idp: 4000,
};
const CONSOLE_URL = `http://${HOST}:${PORTS.console}`;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    process.stderr.write(`\n${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})\n`);
    process.exit(1);
  }
  return r;
}

function step(text) {
  process.stderr.write(`\x1b[1m▸ ${text}\x1b[0m\n`);
}

/** A secret kept across restarts in .switchyard/<name>, created on first use. */
function persistent(name, make) {
  const file = join(state, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = make();
  if (value) writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

async function waitFor(url, child, label, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${label} did not become ready at ${url}`);
}

const children = [];
function start(label, args, env = {}) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`${label} stopped (${code ?? signal}); stopping everything\n`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  stopInstances();
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  void Promise.all(
    children.filter((c) => c.exitCode === null).map((c) => new Promise((r) => c.once('exit', r))),
  ).then(() => process.exit(code));
}
/** Organisation instances are detached (they outlive a worker restart): stop them by pid file. */
function stopInstances() {
  const dir = join(state, 'instances');
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    try {
      const { pid } = JSON.parse(readFileSync(join(dir, name, 'instance.json'), 'utf8'));
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name)) process.kill(pid, 'SIGTERM');
    } catch {
      /* not running */
    }
  }
}

/** Calls the control plane's API with the admin token. */
async function api(pat, method, path, body, headers = {}) {
  const res = await fetch(`http://${HOST}:${PORTS.controlPlane}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${pat}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => undefined);
  return { status: res.status, json, headers: res.headers };
}

async function until(what, fn, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The example flag the printed commands use, committed (switched off) as the environment's first
 * flag, so the first command printed evaluates it and the second switches it on.
 */
async function seedExampleFlag(pat) {
  const flags = '/orgs/acme/environments/development/namespaces/default/flags';
  let list;
  await until('the development environment to be readable', async () => {
    list = await api(pat, 'GET', flags);
    return list.status === 200;
  });
  if (list.json.flags.some((f) => f.key === 'new-checkout')) return;
  const put = await api(
    pat,
    'PUT',
    `${flags}/new-checkout`,
    { key: 'new-checkout', name: 'New checkout', type: 'BOOLEAN_FLAG_TYPE', enabled: false },
    { 'if-match': list.json.revision },
  );
  if (put.status >= 300)
    throw new Error(`could not add the example flag: ${JSON.stringify(put.json)}`);
}

/** The bootstrapped org's "development" environment (hosted) and a client token for it, once. */
async function developmentEnvironment(pat) {
  let env = await api(pat, 'GET', '/orgs/acme/environments/development');
  if (env.status === 404)
    env = await api(pat, 'POST', '/orgs/acme/environments', {
      key: 'development',
      name: 'Development',
    });
  if (env.status >= 300)
    throw new Error(`could not create the development environment: ${JSON.stringify(env.json)}`);
  await seedExampleFlag(pat);
  const token = persistent('acme-client-token', () => '');
  if (token) return { env: env.json, token };
  const created = await api(pat, 'POST', '/orgs/acme/client-tokens', {
    name: 'development sdk',
    environments: ['development'],
  });
  if (created.status !== 201)
    throw new Error(`could not create a client token: ${JSON.stringify(created.json)}`);
  writeFileSync(join(state, 'acme-client-token'), `${created.json.token}\n`, { mode: 0o600 });
  return { env: env.json, token: created.json.token };
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function main() {
  mkdirSync(state, { recursive: true });
  if (!existsSync(join(root, 'node_modules'))) {
    step('installing dependencies');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
  step('checking git, PostgreSQL and Redis');
  run('bash', [join(root, 'scripts', 'ensure-services.sh')]);
  step('building');
  run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });

  // The database belongs to this checkout's state like its hosted repositories do: a new checkout
  // (or a removed .switchyard/) starts on an empty database of its own instead of one whose
  // organisations' repositories live in another checkout. State from before this rule (a secret
  // but no database-url file) keeps the shared default name. DATABASE_URL overrides it.
  const databaseUrl =
    process.env.DATABASE_URL ??
    persistent('database-url', () =>
      existsSync(join(state, 'secret'))
        ? 'postgresql://postgres@127.0.0.1:5432/switchyard'
        : `postgresql://postgres@127.0.0.1:5432/switchyard_${randomBytes(4).toString('hex')}`,
    );
  const secret = persistent('secret', () => randomBytes(32).toString('hex'));
  const edgeToken = persistent('edge-token', () => randomBytes(24).toString('hex'));
  const cpEnv = {
    DATABASE_URL: databaseUrl,
    PORT: String(PORTS.controlPlane),
    HOST,
    SWITCHYARD_SECRET: secret,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    INTERNAL_GRPC_PORT: String(PORTS.internalGrpc),
    CONTROL_PLANE_GRPC_URL: `grpc://${HOST}:${PORTS.internalGrpc}`,
    EDGE_TOKEN: edgeToken,
    EDGE_PUBLIC_URL: `http://${HOST}:${PORTS.edge}`,
    INSTANCE_DATA_DIR: join(state, 'instances'),
    INSTANCE_LOG_LEVEL: 'warn',
    SWITCHYARD_DATA_DIR: join(state, 'data'),
    // Browsers sign in through the console's same-origin /api proxy: SSO callbacks come back there.
    PUBLIC_URL: CONSOLE_URL,
  };
  // Hosted repositories used to live in .switchyard/git: move them once into the data directory.
  if (existsSync(join(state, 'git')) && !existsSync(join(state, 'data', 'git'))) {
    mkdirSync(join(state, 'data'), { recursive: true });
    renameSync(join(state, 'git'), join(state, 'data', 'git'));
  }
  const idpCli = join(root, 'apps', 'dev-idp', 'dist', 'cli.js');
  if (existsSync(idpCli)) {
    step('starting the dev identity provider');
    const idp = start('dev identity provider', [
      idpCli,
      '--port',
      String(PORTS.idp),
      '--profile',
      'generic',
      '--client',
      `switchyard:dev-secret:${CONSOLE_URL}/api/v1/auth/callback/*`,
    ]);
    await waitFor(
      `http://${HOST}:${PORTS.idp}/.well-known/openid-configuration`,
      idp,
      'dev identity provider',
    );
    // The dev IdP is on loopback: its exact origin is the one private target allow-listed (instances
    // reach the control plane's own hosted git origin without it; tenants' remotes never do).
    Object.assign(cpEnv, {
      PLATFORM_OIDC_ISSUER: `http://${HOST}:${PORTS.idp}`,
      PLATFORM_OIDC_CLIENT_ID: 'switchyard',
      PLATFORM_OIDC_CLIENT_SECRET: 'dev-secret',
      OUTBOUND_ALLOWED_ORIGINS: `http://${HOST}:${PORTS.idp}`,
    });
  }
  step('starting the control plane (applies database migrations first)');
  const cp = start('control plane', ['apps/control-plane/dist/main.js'], cpEnv);
  await waitFor(`http://${HOST}:${PORTS.controlPlane}/api/v1/health`, cp, 'control plane');
  const pat = persistent('admin-token', () => {
    const r = spawnSync(
      process.execPath,
      [
        'apps/control-plane/dist/bootstrap.js',
        '--email',
        'admin@localhost',
        '--org',
        'acme',
        '--org-name',
        'Acme',
      ],
      {
        cwd: root,
        env: { ...process.env, ...cpEnv },
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(`bootstrap failed: ${r.stderr}`);
    return r.stdout.trim().split('\n').pop();
  });

  step('starting the console');
  const web = start(
    'console',
    [
      join(root, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      'apps/web',
      '-H',
      HOST,
      '-p',
      String(PORTS.console),
    ],
    {
      CONTROL_PLANE_URL: `http://${HOST}:${PORTS.controlPlane}`,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  );
  await waitFor(`${CONSOLE_URL}/login`, web, 'console');
  // The dev IdP's users, so signing in as any of them reaches "acme" (409 when already a member).
  for (const [email, role] of [
    ['alice@example.com', 'OWNER'],
    ['bob@example.com', 'EDITOR'],
    ['carol@example.com', 'VIEWER'],
  ]) {
    await api(pat, 'POST', '/orgs/acme/members', { email, role });
  }

  step('starting the provisioning worker and the edge router');
  start('worker', ['apps/control-plane/dist/worker.js'], cpEnv);
  const edge = start('edge', ['apps/edge/dist/main.js'], {
    EDGE_HOST: HOST,
    EDGE_PORT: String(PORTS.edge),
    EDGE_TOKEN: edgeToken,
    CONTROL_PLANE_GRPC_URL: cpEnv.CONTROL_PLANE_GRPC_URL,
    EDGE_DATA_DIR: join(state, 'edge'),
    LOG_LEVEL: 'warn',
  });
  await waitFor(`http://${HOST}:${PORTS.edge}/health`, edge, 'edge');
  step("waiting for the acme organisation's instance and its development environment");
  const dev = await developmentEnvironment(pat);
  const devUrl = dev.env.urls.rest;
  await until(
    'the development environment URL',
    async () => {
      const res = await fetch(`${devUrl}/api/v1/namespaces/default/flags`, {
        headers: { authorization: `Bearer ${dev.token}` },
      });
      return res.ok;
    },
    90_000,
  );
  // Re-read: the gRPC address appears once the instance has reported its status.
  dev.env = (await api(pat, 'GET', '/orgs/acme/environments/development')).json ?? dev.env;

  const clientToken = persistent(
    'client-token',
    () => `sy_dev_${randomBytes(24).toString('base64url')}`,
  );
  step('starting an evaluation instance serving examples/flags');
  const dp = start('data plane', [
    'apps/data-plane/dist/cli.js',
    'serve',
    join(root, 'examples', 'flags'),
    '--host',
    HOST,
    '--http-port',
    String(PORTS.http),
    '--grpc-port',
    String(PORTS.grpc),
    '--data-dir',
    join(state, 'data-plane'),
    '--token',
    clientToken,
    '--log-level',
    'warn',
  ]);
  await waitFor(`http://${HOST}:${PORTS.http}/ready`, dp, 'data plane');

  process.stdout.write(`
Switchyard is running.

  Console                        ${CONSOLE_URL}   (sign in as alice (owner), bob (editor) or carol (viewer) @example.com)
  Control plane API              http://${HOST}:${PORTS.controlPlane}/api/v1   (OpenAPI: /api/v1/openapi.json)
  Admin personal access token:   ${pat}
  Org "acme", environment "development" (its own instance, provisioned by the worker):
    REST / Flipt SDKs            ${devUrl}
    OFREP                        ${dev.env.urls.ofrep}
    gRPC                         ${dev.env.urls.grpc ?? '(reported once the instance is up)'}   (metadata x-flipt-environment: development)
    Client token                 ${dev.token}
  Standalone instance on examples/flags  http://${HOST}:${PORTS.http}   gRPC ${HOST}:${PORTS.grpc}   token ${clientToken}

Evaluate the example flag (off), switch it on (a commit the instance serves in well under a
second), and evaluate again:
  curl -s ${devUrl}/evaluate/v1/boolean -H 'Authorization: Bearer ${dev.token}' \\
    -d '{"namespaceKey":"default","flagKey":"new-checkout","entityId":"user-1"}'
  curl -s -X PUT 'http://${HOST}:${PORTS.controlPlane}/api/v1/orgs/acme/environments/development/namespaces/default/flags/new-checkout' \\
    -H 'Authorization: Bearer ${pat}' -H "If-Match: $(curl -sI http://${HOST}:${PORTS.controlPlane}/api/v1/orgs/acme/environments/development/namespaces/default/flags -H 'Authorization: Bearer ${pat}' | sed -n 's/^etag: //Ip' | tr -d '\\r')" \\
    -H 'content-type: application/json' -d '{"key":"new-checkout","name":"New checkout","type":"BOOLEAN_FLAG_TYPE","enabled":true}'

Standalone:
  curl -s http://${HOST}:${PORTS.http}/evaluate/v1/variant -H 'Authorization: Bearer ${clientToken}' \\
    -d '{"flagKey":"banner-colour","entityId":"user-1","context":{"region":"eu-west"}}'
  curl -s http://${HOST}:${PORTS.controlPlane}/api/v1/orgs -H 'Authorization: Bearer ${pat}'

Edit examples/flags/default/features.yaml and the instance reloads. Ctrl-C stops everything.
`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  stop(1);
});
