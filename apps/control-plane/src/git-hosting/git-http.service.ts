import { spawn } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { basename, dirname } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_TREE_LIMITS } from '@switchyard/flags';
import { sendError } from '../common/error.filter.js';
import { CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { EnvironmentStoreService, type OpenedEnvironment } from './environment-store.service.js';
import { requestedProtocol, servingEnvironment } from './git-environment.js';
import { GitHttpAuth, type GitAccess } from './git-http-auth.js';
import { PushAuditService } from './push-audit.service.js';
import { installHooks, pushReport, type PushReport } from './push-hooks.js';
import { UploadPack } from './upload-pack.js';

/** Where git's CGI backend lives on Debian-like systems. */
const GIT_HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

/** The smart-HTTP operations served; dumb HTTP (raw object paths) is not. */
export type GitOperation = 'info/refs' | 'git-upload-pack' | 'git-receive-pack';

/** What receive-pack needs for a push: the check's hooks, its target, and the report file. */
interface PushSetup {
  hooks: string;
  opened: OpenedEnvironment;
  report: PushReport;
}

/**
 * Serves hosted repositories over smart HTTP: fetches through upload-pack directly (upload-pack.ts:
 * one process fewer per request, none for a v2 advertisement), pushes (and their advertisement)
 * through `git http-backend` (CGI). Both run with no user config (git-environment.ts), only in the
 * environment's own repository directory, and with receive-pack enabled only for writers. Pushes
 * run the pre-receive check (pre-receive-hook.ts: the instances' own limits and validator, on the
 * quarantined objects) before any ref moves; accepted updates are audited. A lost repository
 * answers FailedPrecondition (never re-initialised).
 */
@Injectable()
export class GitHttpService {
  private hooks: Promise<string> | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly auth: GitHttpAuth,
    private readonly stores: EnvironmentStoreService,
    private readonly pushes: PushAuditService,
    private readonly uploadPack: UploadPack,
  ) {}

  async serve(
    req: FastifyRequest,
    reply: FastifyReply,
    org: string,
    repo: string,
    op: GitOperation,
  ): Promise<void> {
    const service = op === 'info/refs' ? (req.query as Record<string, unknown>)['service'] : op;
    const access: GitAccess = service === 'git-receive-pack' ? 'write' : 'read';
    try {
      const env = await this.auth.authorise(req.headers.authorization, org, repo, access);
      const opened = await this.stores.openEnvironment(env, org);
      if (service === 'git-upload-pack') {
        const dir = opened.store.dir;
        if (op === 'info/refs') await this.uploadPack.advertise(req, reply, dir);
        else await this.uploadPack.rpc(req, reply, dir);
        return;
      }
      if (op !== 'git-receive-pack') {
        await this.runBackend(req, reply, opened.store.dir, op, access);
        return;
      }
      const ctx = await this.pushes.actor(req.headers.authorization, String(req.id));
      const push: PushSetup = { hooks: await this.installHooks(), opened, report: pushReport() };
      await this.runBackend(req, reply, opened.store.dir, op, access, push);
      await this.pushes.accepted(opened, ctx, await push.report.read());
    } catch (e) {
      if ((e as { code?: string }).code === 'Unauthenticated')
        void reply.header('www-authenticate', 'Basic realm="switchyard"');
      sendError(e, req, reply);
    }
  }

  /** The hooks directory (written once per process; a failure is retried on the next push). */
  private installHooks(): Promise<string> {
    this.hooks ??= installHooks(this.config.git.dataDir).catch((e: unknown) => {
      this.hooks = undefined;
      throw e;
    });
    return this.hooks;
  }

  /** Pipes the request through git http-backend; resolves when the backend has exited. */
  private runBackend(
    req: FastifyRequest,
    reply: FastifyReply,
    repoDir: string,
    op: GitOperation,
    access: GitAccess,
    push?: PushSetup,
  ): Promise<void> {
    const env = {
      ...cgiEnvironment(req, repoDir, op, access),
      ...(push ? pushEnvironment(push) : {}),
    };
    reply.hijack();
    const res = reply.raw;
    const child = spawn(GIT_HTTP_BACKEND, [], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    const body = req.body as NodeJS.ReadableStream | undefined;
    if (body && typeof body.pipe === 'function') body.pipe(child.stdin);
    else child.stdin.end();
    child.stdin.on('error', () => undefined);
    res.on('close', () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
    });
    let head = Buffer.alloc(0);
    let started = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (started) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
      if (end < 0) return;
      started = true;
      const sepLength = head[end] === 0x0d ? 4 : 2;
      writeHeaders(res, head.subarray(0, end).toString('latin1'), String(req.id));
      const rest = head.subarray(end + sepLength);
      if (rest.length > 0) res.write(rest);
    });
    child.stdout.on('end', () => {
      if (!started && !res.headersSent) res.writeHead(502);
      res.end();
    });
    return new Promise((resolve) => child.on('close', () => resolve()));
  }
}

/** CGI environment for git http-backend: the serving environment plus the CGI variables. */
function cgiEnvironment(
  req: FastifyRequest,
  repoDir: string,
  op: GitOperation,
  access: GitAccess,
): NodeJS.ProcessEnv {
  const url = new URL(req.url, 'http://localhost');
  const version = requestedProtocol(req.headers['git-protocol']);
  return {
    ...servingEnvironment(access),
    GIT_PROJECT_ROOT: dirname(repoDir),
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: `/${basename(repoDir)}/${op}`,
    REQUEST_METHOD: req.method,
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
    GIT_PROTOCOL: version > 0 ? `version=${version}` : '',
    REMOTE_USER: 'switchyard',
    REMOTE_ADDR: req.ip,
  };
}

/**
 * Receive-pack runs the check's hooks (instead of none) with the environment it guards, and
 * refuses packs far larger than any acceptable environment before writing them all to disk.
 */
function pushEnvironment(push: PushSetup): NodeJS.ProcessEnv {
  return {
    GIT_CONFIG_VALUE_1: push.hooks,
    GIT_CONFIG_COUNT: '6',
    GIT_CONFIG_KEY_5: 'receive.maxInputSize',
    GIT_CONFIG_VALUE_5: String(4 * DEFAULT_TREE_LIMITS.maxTotalBytes),
    SWITCHYARD_HOOK_BRANCH: push.opened.branch,
    SWITCHYARD_HOOK_DIRECTORY: push.opened.directory,
    SWITCHYARD_PUSH_REPORT: push.report.path,
  };
}

function writeHeaders(res: ServerResponse, block: string, requestId: string): void {
  let status = 200;
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
    else res.setHeader(name, value);
  }
  res.setHeader('x-request-id', requestId);
  res.writeHead(status);
}
