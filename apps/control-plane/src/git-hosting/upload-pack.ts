import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestedProtocol, servingEnvironment } from './git-environment.js';

/**
 * The largest request body accepted, before and after gunzip: git http-backend's own default
 * (`GIT_HTTP_MAX_REQUEST_BUFFER`, 10 MiB, which it applies to the compressed body only). A fetch
 * request is wants and haves, 50 bytes a line; 10 MiB is ~200,000 lines.
 */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** upload-pack in git's exec path (beside git-http-backend), as http-backend starts it. */
const GIT_UPLOAD_PACK = '/usr/lib/git-core/git-upload-pack';

/** The most advertisements cached: one per protocol version and repository config seen. */
const MAX_CACHED = 8;

/** http-backend's hdr_nocache(): every smart-HTTP answer is uncacheable. */
const NO_CACHE = {
  Expires: 'Fri, 01 Jan 1980 00:00:00 GMT',
  Pragma: 'no-cache',
  'Cache-Control': 'no-cache, max-age=0, must-revalidate',
};

/** The pkt-line http-backend puts before a v0/v1 advertisement, then a flush-pkt. */
const SERVICE_PREFIX = Buffer.from('001e# service=git-upload-pack\n0000');

/**
 * Serves fetches (`git upload-pack`) directly, without git http-backend: each CGI request cost an
 * http-backend process that only starts upload-pack, and process creation is the dominant cost of a
 * fetch here. The answers are byte for byte those http-backend writes (headers, the `# service=`
 * prefix of a v0/v1 advertisement, 415 on a wrong content type; gzip request bodies inflated), and
 * upload-pack runs with the same environment (git-environment.ts) in the repository directory.
 *
 * A protocol v2 advertisement is cached (see {@link UploadPack.advertisement}), so the first of a
 * v2 fetch's three requests starts no process at all.
 */
@Injectable()
export class UploadPack {
  /** upload-pack processes started by this instance (tests observe the cache through it). */
  spawned = 0;
  private readonly advertisements = new Map<string, Buffer>();

  /** GET info/refs?service=git-upload-pack: the ref (v0/v1) or capability (v2) advertisement. */
  async advertise(req: FastifyRequest, reply: FastifyReply, repoDir: string): Promise<void> {
    const version = requestedProtocol(req.headers['git-protocol']);
    const body = await this.advertisement(reply, repoDir, version);
    if (body === undefined) return;
    const res = reply.raw;
    if (res.headersSent || res.destroyed) return;
    writeHead(res, 200, 'application/x-git-upload-pack-advertisement', String(req.id));
    // http-backend writes the `# service=` line for v0 and v1 only (a v2 client does not expect it).
    res.end(version === 2 ? body : Buffer.concat([SERVICE_PREFIX, body]));
  }

  /** POST git-upload-pack: one stateless request/response exchange (negotiation or the pack). */
  async rpc(req: FastifyRequest, reply: FastifyReply, repoDir: string): Promise<void> {
    const res = reply.raw;
    const type = req.headers['content-type'] ?? '';
    if (type !== 'application/x-git-upload-pack-request')
      return plain(
        reply,
        415,
        `Expected POST with Content-Type 'application/x-git-upload-pack-request', but received '${type}' instead.\n`,
      );
    const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
    if (!['', 'identity', 'gzip', 'x-gzip'].includes(encoding))
      return plain(reply, 415, `Content-Encoding '${encoding}' is not supported (gzip only).\n`);
    const version = requestedProtocol(req.headers['git-protocol']);
    const child = this.start(reply, repoDir, version, ['--stateless-rpc']);
    const stages: (NodeJS.ReadableStream | NodeJS.WritableStream)[] = [
      requestBody(req),
      limit(MAX_REQUEST_BYTES),
    ];
    if (encoding === 'gzip' || encoding === 'x-gzip')
      stages.push(createGunzip(), limit(MAX_REQUEST_BYTES));
    let refused: { status: number; message: string } | undefined;
    // The request streams into upload-pack, which answers only once it has read all of it: a body
    // over the limit or broken gzip stops the child before it answers. Other failures (the child
    // stopped reading, the client went away) are settled by the child's exit and the close hook.
    pipeline(stages.concat(child.stdin)).catch((e: NodeJS.ErrnoException) => {
      if (e.message === TOO_LARGE) refused = { status: 413, message: TOO_LARGE };
      else if (e.code?.startsWith('Z_'))
        refused = { status: 400, message: 'the request body is not valid gzip\n' };
      if (refused) child.kill('SIGKILL');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (!res.headersSent)
        writeHead(res, 200, 'application/x-git-upload-pack-result', String(req.id));
      if (res.write(chunk)) return;
      child.stdout.pause();
      res.once('drain', () => child.stdout.resume());
    });
    const code = await exited(child);
    if (res.headersSent) {
      // A child that failed mid-answer must not look like a complete response.
      if (code === 0) res.end();
      else res.destroy();
    } else if (refused) plain(reply, refused.status, refused.message);
    else if (code === 0) {
      writeHead(res, 200, 'application/x-git-upload-pack-result', String(req.id));
      res.end();
    } else if (!res.destroyed) res.writeHead(502).end();
  }

  /**
   * The advertisement (without http-backend's prefix), or undefined once an error was answered.
   *
   * Cached for protocol v2 only, keyed by the version and the repository's config file. A v2
   * advertisement lists capabilities and no refs (those come from the `ls-refs` command, a POST),
   * and what upload-pack advertises is a function of the git binary, its environment (fixed:
   * git-environment.ts, no system or user config), the protocol version and the repository's own
   * config (object format, `uploadpack.*`, `lsrefs.unborn`, `transfer.advertiseSID`) — which is
   * in the key. Hosted repositories' config is written by `git init` only (pushes cannot change
   * it). Nothing invalidates an entry at runtime because nothing it depends on changes while the
   * process runs; the cache dies with it. (git upgraded under a running process is advertised as
   * the old version until a restart: harmless, a newer upload-pack serves what an older one
   * advertised.) v0/v1 advertisements list the refs: never cached.
   */
  private async advertisement(
    reply: FastifyReply,
    repoDir: string,
    version: 0 | 1 | 2,
  ): Promise<Buffer | undefined> {
    // No config file (upload-pack does not need one): not cached.
    const config =
      version === 2
        ? await readFile(join(repoDir, 'config'), 'latin1').catch(() => undefined)
        : undefined;
    const key = config === undefined ? undefined : `${version}\n${config}`;
    const cached = key === undefined ? undefined : this.advertisements.get(key);
    if (cached) return cached;
    const child = this.start(reply, repoDir, version, ['--stateless-rpc', '--advertise-refs']);
    child.stdin.end();
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const code = await exited(child);
    if (code !== 0) {
      if (!reply.raw.headersSent && !reply.raw.destroyed) reply.raw.writeHead(502).end();
      return undefined;
    }
    const body = Buffer.concat(chunks);
    if (key !== undefined && this.advertisements.size < MAX_CACHED)
      this.advertisements.set(key, body);
    return body;
  }

  /** Starts upload-pack in the repository; the client going away kills it. */
  private start(
    reply: FastifyReply,
    repoDir: string,
    version: 0 | 1 | 2,
    args: string[],
  ): ChildProcessWithoutNullStreams {
    reply.hijack();
    const env = {
      ...servingEnvironment('read'),
      ...(version > 0 ? { GIT_PROTOCOL: `version=${version}` } : {}),
    };
    this.spawned += 1;
    const child = spawn(GIT_UPLOAD_PACK, [...args, '--strict', repoDir], {
      cwd: repoDir,
      env,
      stdio: ['pipe', 'pipe', 'ignore'],
    }) as unknown as ChildProcessWithoutNullStreams;
    child.stdin.on('error', () => undefined);
    reply.raw.on('close', () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    return child;
  }
}

const TOO_LARGE = `request body larger than ${MAX_REQUEST_BYTES} bytes\n`;

/** Resolves with the exit code once the child and its pipes are closed (-1: failed or killed). */
function exited(child: ChildProcessWithoutNullStreams): Promise<number> {
  return new Promise((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code ?? -1));
  });
}

/** The raw request stream (the git content types are not parsed: git-hosting.module.ts). */
function requestBody(req: FastifyRequest): Readable {
  const body = req.body as Readable | undefined;
  return body && typeof body.pipe === 'function' ? body : Readable.from([]);
}

/** Passes bytes through until `max`, then fails the pipeline. */
function limit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) done(new Error(TOO_LARGE));
      else done(null, chunk);
    },
  });
}

function writeHead(res: ServerResponse, status: number, type: string, requestId: string): void {
  for (const [name, value] of Object.entries(NO_CACHE)) res.setHeader(name, value);
  res.setHeader('Content-Type', type);
  res.setHeader('x-request-id', requestId);
  res.writeHead(status);
}

/** A refusal as http-backend words them: plain text a git client prints. */
function plain(reply: FastifyReply, status: number, message: string): void {
  reply.hijack();
  const res = reply.raw;
  if (res.headersSent || res.destroyed) return;
  writeHead(res, status, 'text/plain; charset=utf-8', String(reply.request.id));
  res.end(message);
}
