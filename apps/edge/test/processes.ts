/**
 * Real processes for the edge's regression tests: the built edge binary (routes loaded from its
 * persisted table, so no control plane is needed) and the built data-plane binary, plus a plain
 * node:http echo server that records what the edge forwards. Everything on ephemeral ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createTcpServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** A child process with its output kept for diagnostics. */
export interface Child {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first stdout JSON line matching `pred`. */
  waitFor(
    pred: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  alive(): boolean;
  stop(): Promise<void>;
}

export function startChild(args: string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer) => {
    out = (out + d.toString()).slice(-200_000);
    for (const w of waiters) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return {
    child,
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null,
    waitFor(pred, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const line of out.split('\n')) {
            try {
              const j = JSON.parse(line) as Record<string, unknown>;
              if (pred(j)) {
                waiters.delete(check);
                clearTimeout(timer);
                return resolve(j);
              }
            } catch {
              // not a JSON log line
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out; output:\n${out}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

/** One organisation's route, as the control plane would publish it. */
export interface TestRoute {
  orgSlug: string;
  environments: string[];
  upstream: string;
}

/** Starts the edge binary with `routes` persisted in its data directory and no reachable control plane. */
export async function startEdge(
  dir: string,
  routes: TestRoute[],
  env: Record<string, string> = {},
): Promise<Child & { url: string; port: number }> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'routes.json'), JSON.stringify({ routes, version: 'test-1' }));
  const port = await freePort();
  const deadCp = await freePort();
  const edge = startChild([`${ROOT}apps/edge/dist/main.js`], {
    EDGE_PORT: String(port),
    EDGE_TOKEN: 'edge-token-for-tests-only-0123456789',
    CONTROL_PLANE_GRPC_URL: `grpc://127.0.0.1:${deadCp}`,
    EDGE_DATA_DIR: dir,
    ROUTE_REFRESH_MS: '60000',
    LOG_LEVEL: 'info',
    ...env,
  });
  await edge.waitFor((l) => l['msg'] === 'edge listening');
  return Object.assign(edge, { url: `http://127.0.0.1:${port}`, port });
}

/** Starts `switchyard serve --config <file>` and resolves with its HTTP base URL. */
export async function startDataPlane(configFile: string): Promise<Child & { url: string }> {
  const dp = startChild([
    `${ROOT}apps/data-plane/dist/cli.js`,
    'serve',
    '--config',
    configFile,
    '--host',
    '127.0.0.1',
    '--http-port',
    '0',
    '--grpc-port',
    '0',
  ]);
  const listening = await dp.waitFor((l) => l['msg'] === 'listening');
  const url = `http://127.0.0.1:${String(listening['httpPort'])}`;
  await dp.waitFor((l) => l['msg'] === 'snapshot published');
  return Object.assign(dp, { url });
}

/** A server that answers every request with the headers it received. */
export async function startEcho(
  extraResponseHeaders: Record<string, string> = {},
): Promise<{ server: Server; url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () =>
      res
        .writeHead(200, { 'content-type': 'application/json', ...extraResponseHeaders })
        .end(JSON.stringify(req.headers)),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  return { server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, seen };
}

/** Raw HTTP/1.1 exchange: sends `bytes`, resolves with status and body once the server closes. */
export function rawExchange(
  port: number,
  bytes: string,
): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    const done = () => {
      const i = out.indexOf('\r\n\r\n');
      resolve({
        status: Number(out.split(' ')[1]),
        headers: out.slice(0, i),
        body: out.slice(i + 4),
      });
    };
    socket.on('data', (d: Buffer) => (out += d.toString('latin1')));
    socket.on('close', done);
    socket.on('error', reject);
    socket.end(bytes);
  });
}
