/**
 * A real smart-HTTP git server for tests: node:http in front of `git http-backend` (CGI), with
 * optional basic auth and fault controls (answer 500, hang, or add latency) to prove how clients
 * behave when the remote misbehaves.
 *
 * Invariant: every request is counted before the fault decision, so tests can assert how often a
 * client hit the remote (e.g. backoff caps) whether or not the request succeeded.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The default location of git's CGI backend on Debian-like systems. */
export const GIT_HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

/** What the server does with incoming requests. */
export type GitServerFault =
  | { kind: 'none' }
  | { kind: 'error'; status?: number }
  | { kind: 'hang' }
  | { kind: 'slow'; delayMs: number };

/** Options of {@link startGitServer}. */
export interface GitServerOptions {
  /** Directory holding the bare repositories (served as `/<name>.git`). */
  projectRoot: string;
  /** When set, every request must carry these basic-auth credentials (else 401). */
  auth?: { username: string; password: string };
  /** Path of `git-http-backend`; defaults to {@link GIT_HTTP_BACKEND}. */
  backendPath?: string;
}

/** A running test git server. */
export interface GitServer {
  /** Base URL, e.g. `http://127.0.0.1:12345`; a repo `x.git` is at `${url}/x.git`. */
  readonly url: string;
  /** Requests received since start or the last {@link GitServer.resetCount}. */
  readonly requestCount: number;
  /** Zeroes the request counter. */
  resetCount(): void;
  /** Switches the fault mode; `durationMs` reverts to `none` afterwards. */
  setFault(fault: GitServerFault, durationMs?: number): void;
  /** Stops listening and destroys open (including hanging) connections. */
  close(): Promise<void>;
}

/** Starts a smart-HTTP git server on 127.0.0.1 with an ephemeral port. */
export async function startGitServer(options: GitServerOptions): Promise<GitServer> {
  let fault: GitServerFault = { kind: 'none' };
  let revertTimer: NodeJS.Timeout | undefined;
  let count = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    count += 1;
    void handle(req, res, options, fault);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requestCount() {
      return count;
    },
    resetCount() {
      count = 0;
    },
    setFault(next, durationMs) {
      if (revertTimer) clearTimeout(revertTimer);
      fault = next;
      if (durationMs !== undefined)
        revertTimer = setTimeout(() => (fault = { kind: 'none' }), durationMs);
    },
    async close() {
      if (revertTimer) clearTimeout(revertTimer);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: GitServerOptions,
  fault: GitServerFault,
): Promise<void> {
  if (fault.kind === 'hang') return; // never answer; the client's deadline must fire
  if (fault.kind === 'error') {
    res.writeHead(fault.status ?? 500, { 'content-type': 'text/plain' }).end('injected failure\n');
    return;
  }
  if (fault.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
  const user = checkAuth(req, options.auth);
  if (user === false) {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' }).end();
    return;
  }
  runBackend(req, res, options, user);
}

/** Returns the user name, undefined when auth is off, or false when the credentials are wrong. */
function checkAuth(
  req: IncomingMessage,
  auth: GitServerOptions['auth'],
): string | undefined | false {
  if (!auth) return undefined;
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  return decoded === `${auth.username}:${auth.password}` ? auth.username : false;
}

function runBackend(
  req: IncomingMessage,
  res: ServerResponse,
  options: GitServerOptions,
  user: string | undefined,
): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: options.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: decodeURIComponent(url.pathname),
    REQUEST_METHOD: req.method ?? 'GET',
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    CONTENT_LENGTH: req.headers['content-length'] ?? '',
    HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
    GIT_PROTOCOL: (req.headers['git-protocol'] as string | undefined) ?? '',
    REMOTE_USER: user ?? 'test',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.receivepack',
    GIT_CONFIG_VALUE_0: 'true',
  };
  const child = spawn(options.backendPath ?? GIT_HTTP_BACKEND, [], {
    env,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  req.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  res.on('close', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  pipeCgiResponse(child.stdout, res);
  child.on('error', () => {
    if (!res.headersSent) res.writeHead(502).end();
  });
}

/** Parses the CGI header block (up to the blank line), then streams the body through. */
function pipeCgiResponse(stdout: NodeJS.ReadableStream, res: ServerResponse): void {
  let head = Buffer.alloc(0);
  let headersDone = false;
  stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const sep = findHeaderEnd(head);
    if (!sep) return;
    headersDone = true;
    writeCgiHeaders(res, head.subarray(0, sep.index).toString('latin1'));
    const rest = head.subarray(sep.index + sep.length);
    if (rest.length > 0) res.write(rest);
  });
  stdout.on('end', () => {
    if (!headersDone && !res.headersSent) res.writeHead(502);
    res.end();
  });
}

function findHeaderEnd(buf: Buffer): { index: number; length: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { index: crlf, length: 4 };
  if (lf >= 0) return { index: lf, length: 2 };
  return undefined;
}

function writeCgiHeaders(res: ServerResponse, block: string): void {
  let status = 200;
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
    else res.setHeader(name, value);
  }
  res.writeHead(status);
}
