#!/usr/bin/env node
// `npm start`: sets up and runs the local Switchyard cloud on this machine.
// 1. installs dependencies when node_modules is missing, 2. makes sure git, PostgreSQL and Redis
// run (scripts/ensure-services.sh), 3. builds, 4. starts every service below as a child process
// (the control plane migrates its database first), 5. prints where to go next.
// Ctrl-C stops everything. State (tokens, snapshots) lives in .switchyard/.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const state = join(root, '.switchyard');
const HOST = '127.0.0.1';
const PORTS = { controlPlane: 3000, http: 8080, grpc: 9000 };

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
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
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
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function main() {
  mkdirSync(state, { recursive: true });
  if (!existsSync(join(root, 'node_modules'))) {
    step('installing dependencies');
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
  step('checking git, PostgreSQL and Redis');
  run('bash', [join(root, 'scripts', 'ensure-services.sh')]);
  step('building');
  run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });

  const secret = persistent('secret', () => randomBytes(32).toString('hex'));
  const cpEnv = { PORT: String(PORTS.controlPlane), HOST, SWITCHYARD_SECRET: secret, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  step('starting the control plane (applies database migrations first)');
  const cp = start('control plane', ['apps/control-plane/dist/main.js'], cpEnv);
  await waitFor(`http://${HOST}:${PORTS.controlPlane}/api/v1/health`, cp, 'control plane');
  const pat = persistent('admin-token', () => {
    const r = spawnSync(process.execPath, ['apps/control-plane/dist/bootstrap.js', '--email', 'admin@localhost', '--org', 'acme', '--org-name', 'Acme'], {
      cwd: root,
      env: { ...process.env, ...cpEnv },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`bootstrap failed: ${r.stderr}`);
    return r.stdout.trim().split('\n').pop();
  });

  const clientToken = persistent('client-token', () => `sy_dev_${randomBytes(24).toString('base64url')}`);
  step('starting an evaluation instance serving examples/flags');
  const dp = start('data plane', [
    'apps/data-plane/dist/cli.js', 'serve', join(root, 'examples', 'flags'),
    '--host', HOST, '--http-port', String(PORTS.http), '--grpc-port', String(PORTS.grpc),
    '--data-dir', join(state, 'data-plane'), '--token', clientToken, '--log-level', 'warn',
  ]);
  await waitFor(`http://${HOST}:${PORTS.http}/ready`, dp, 'data plane');

  process.stdout.write(`
Switchyard is running.

  Evaluation (Flipt-compatible)  http://${HOST}:${PORTS.http}   gRPC ${HOST}:${PORTS.grpc}
  Control plane API              http://${HOST}:${PORTS.controlPlane}/api/v1   (OpenAPI: /api/v1/openapi.json)

  Client token (SDKs):           ${clientToken}
  Admin personal access token:   ${pat}

Try:
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
