/**
 * Git source: a bare mirror per environment under `dataDir/git/`, fetched with the git CLI, files
 * read straight from the object database (`ls-tree` + `cat-file --batch`), never checked out. A
 * hostile repository therefore cannot write anywhere: symlinks and submodules are skipped, and
 * entries whose path could escape the root (`..`, `.git`, `\`) are ignored.
 */
import { createHash } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isSwitchyardError } from '@switchyard/flags';
import type { SourceConfig } from '../config/instance-config.js';
import {
  GitExecError,
  isSafeRelativePath,
  pinRemote,
  REMOTE_UNAVAILABLE_MESSAGE,
  runGit,
  validateGitSource,
  type HostResolver,
  type RemotePolicy,
  type ValidatedGitSource,
} from '@switchyard/git-store';
import {
  DEFAULT_TREE_LIMITS,
  SourceError,
  TreeBudget,
  InvalidTreeError,
  type SourceTree,
  type SyncSource,
  type TreeLimits,
} from './sync-source.js';

/** Options of {@link createGitSource}. */
export interface GitSourceOptions {
  envKey: string;
  source: Extract<SourceConfig, { type: 'git' }>;
  dataDir: string;
  limits?: TreeLimits;
  /** Deadline of one git process (fetch, ls-tree, cat-file); default 15 s. */
  timeoutMs?: number;
  /** Allow local paths and file:// (standalone mode); default true. */
  allowLocal?: boolean;
  /**
   * Exact origins (`scheme://host:port`) that may be reached on non-public addresses; every other
   * host must resolve to public addresses only (the address policy of libs/git-store, every mode).
   */
  allowedOrigins?: readonly string[];
  /** DNS resolver for connect-time checks (tests inject one); the system resolver by default. */
  resolveHost?: HostResolver;
}

/** One tree entry that may be read (a regular blob under the root). */
interface BlobEntry {
  path: string;
  oid: string;
  size: number;
}

/** Fetches between `git gc --auto` runs on a mirror. */
const GC_EVERY = 200;

const REVISION = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/u;

/** Validates the configuration (throws InvalidArgument) and returns a git source. */
export function createGitSource(options: GitSourceOptions): SyncSource {
  const policy: RemotePolicy = {
    allowedOrigins: options.allowedOrigins ?? [],
    allowHttp: true,
    allowLocal: options.allowLocal ?? true,
    resolve: options.resolveHost,
  };
  return new GitSource(validateGitSource(options.source, policy), policy, options);
}

class GitSource implements SyncSource {
  readonly kind = 'git' as const;
  readonly fingerprint: string;
  readonly #mirror: string;
  readonly #config: Record<string, string>;
  readonly #limits: TreeLimits;
  readonly #timeoutMs: number;
  /** The address policy: hosts are resolved, checked and pinned before each fetch. */
  readonly #policy: RemotePolicy;
  #initialised = false;
  #fetches = 0;

  constructor(
    private readonly valid: ValidatedGitSource,
    policy: RemotePolicy,
    options: GitSourceOptions,
  ) {
    this.#policy = policy;
    this.fingerprint = `git:${valid.url}#${valid.branch}:${valid.directory}`;
    const id = createHash('sha256')
      .update(`${options.envKey}\0${valid.url}`)
      .digest('hex')
      .slice(0, 24);
    this.#mirror = join(options.dataDir, 'git', id);
    this.#config = gitConfig(valid, options.source.credentials);
    this.#limits = options.limits ?? DEFAULT_TREE_LIMITS;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
  }

  async fetchHead(signal: AbortSignal): Promise<string> {
    await this.#init(signal);
    const ref = `refs/heads/${this.valid.branch}`;
    try {
      // Checked and pinned before every fetch: a name may resolve elsewhere since the last one.
      const pin = await pinRemote(this.valid.url, this.#policy);
      const config = { ...this.#config, ...pin.config };
      await this.#git(
        [
          'fetch',
          '--quiet',
          '--no-tags',
          '--no-write-fetch-head',
          '--no-recurse-submodules',
          '--',
          pin.url,
          `+${ref}:${ref}`,
        ],
        signal,
        undefined,
        undefined,
        config,
        pin.env,
      );
      await this.#maybeCompact(signal);
      const out = await this.#git(
        ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`],
        signal,
      );
      return out.toString('utf8').trim();
    } catch (e) {
      throw toSourceError(e);
    }
  }

  async contentId(revision: string, signal: AbortSignal): Promise<string> {
    if (!REVISION.test(revision)) throw new SourceError('invalid revision');
    // `<rev>:<dir>` names the directory's tree (a `^{tree}` suffix would be read as part of the path).
    const treeish =
      this.valid.directory === '' ? `${revision}^{tree}` : `${revision}:${this.valid.directory}`;
    try {
      return (
        await this.#git(['rev-parse', '--verify', '--quiet', '--end-of-options', treeish], signal)
      )
        .toString('utf8')
        .trim();
    } catch (e) {
      if (e instanceof GitExecError && !e.aborted) return `missing:${revision}`; // readTree reports it
      throw toSourceError(e);
    }
  }

  async readTree(revision: string, signal: AbortSignal): Promise<SourceTree> {
    if (!REVISION.test(revision)) throw new SourceError('invalid revision');
    const treeish = this.valid.directory === '' ? revision : `${revision}:${this.valid.directory}`;
    let listing: Buffer;
    try {
      listing = await this.#git(
        ['ls-tree', '-r', '-l', '-z', '--end-of-options', treeish],
        signal,
        64 * 1024 * 1024,
      );
    } catch (e) {
      if (!(e instanceof GitExecError) || e.aborted) throw toSourceError(e);
      // Only on failure: tell "commit missing" (a fetch problem) from "directory missing" (bad commit).
      await this.#git(['cat-file', '-e', `${revision}^{commit}`], signal).catch((err: unknown) => {
        throw toSourceError(err);
      });
      throw new InvalidTreeError(
        `directory "${this.valid.directory}" does not exist at this commit`,
      );
    }
    const entries = parseLsTree(listing, this.#limits);
    const files = await this.#readBlobs(entries, signal);
    return { revision, files };
  }

  async #readBlobs(entries: BlobEntry[], signal: AbortSignal): Promise<Map<string, Uint8Array>> {
    const files = new Map<string, Uint8Array>();
    if (entries.length === 0) return files;
    const total = entries.reduce((n, e) => n + e.size + 100, 0);
    let out: Buffer;
    try {
      out = await this.#git(
        ['cat-file', '--batch'],
        signal,
        total + 1024,
        entries.map((e) => `${e.oid}\n`).join(''),
      );
    } catch (e) {
      throw toSourceError(e);
    }
    let pos = 0;
    for (const entry of entries) {
      const nl = out.indexOf(10, pos);
      const header = out.subarray(pos, nl).toString('latin1').split(' ');
      const size = Number(header[2]);
      if (header[0] !== entry.oid || header[1] !== 'blob' || size !== entry.size)
        throw new SourceError(`object ${entry.oid} could not be read`);
      files.set(entry.path, new Uint8Array(out.subarray(nl + 1, nl + 1 + size)));
      pos = nl + 1 + size + 1;
    }
    return files;
  }

  /**
   * Auto-gc is off (it would detach a background process outside our deadline), so every
   * GC_EVERY fetches we run `gc --auto` in the foreground: packs and loose objects stay bounded.
   */
  async #maybeCompact(signal: AbortSignal): Promise<void> {
    this.#fetches += 1;
    if (this.#fetches % GC_EVERY !== 0) return;
    await this.#git(
      ['-c', 'gc.auto=6700', '-c', 'gc.autoDetach=false', 'gc', '--auto', '--quiet'],
      signal,
    ).catch(() => undefined);
  }

  async #init(signal: AbortSignal): Promise<void> {
    if (this.#initialised) return;
    const exists = await access(join(this.#mirror, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await mkdir(this.#mirror, { recursive: true });
      await this.#git(['init', '--bare', '--quiet'], signal);
    }
    this.#initialised = true;
  }

  #git(
    args: string[],
    signal: AbortSignal,
    maxBuffer?: number,
    input?: string,
    config = this.#config,
    env: Record<string, string> = {},
  ): Promise<Buffer> {
    const opts = { cwd: this.#mirror, config, env, signal, timeoutMs: this.#timeoutMs };
    return runGit(args, {
      ...opts,
      ...(maxBuffer ? { maxBuffer } : {}),
      ...(input !== undefined ? { input } : {}),
    });
  }
}

/** Per-source git settings: local transport when configured, credentials as an HTTP header. */
function gitConfig(
  valid: ValidatedGitSource,
  credentials: { username?: string | undefined; password?: string | undefined } | undefined,
): Record<string, string> {
  const config: Record<string, string> = {};
  if (valid.local) config['protocol.file.allow'] = 'always';
  if (credentials && (credentials.username !== undefined || credentials.password !== undefined)) {
    const basic = Buffer.from(
      `${credentials.username ?? 'git'}:${credentials.password ?? ''}`,
    ).toString('base64');
    config['http.extraHeader'] = `Authorization: Basic ${basic}`;
  }
  return config;
}

/**
 * Parses `ls-tree -r -l -z` output (`<mode> <type> <oid> <size>\t<path>\0`). Keeps regular files
 * only; symlinks (120000), submodules (160000) and unsafe paths are dropped. Caps are checked on
 * the listed sizes, before any content is read.
 */
export function parseLsTree(listing: Buffer, limits: TreeLimits): BlobEntry[] {
  const budget = new TreeBudget(limits);
  const entries: BlobEntry[] = [];
  for (const record of listing.toString('utf8').split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid, size] = record.slice(0, tab).split(/ +/u);
    const path = record.slice(tab + 1);
    if (
      type !== 'blob' ||
      (mode !== '100644' && mode !== '100755') ||
      !oid ||
      !isSafeRelativePath(path)
    )
      continue;
    budget.add(path, Number(size));
    entries.push({ path, oid, size: Number(size) });
  }
  return entries;
}

/**
 * Maps a failure to what the environment's status shows. A refusal by the address policy keeps its
 * (input-free) reason; every network failure gets ONE message, so the status never tells a closed
 * port from a silent one or from a server that is not git (no port scanning through sync errors).
 * The real cause stays in `detail`, for the operator log only.
 */
function toSourceError(e: unknown): SourceError {
  if (e instanceof SourceError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (isSwitchyardError(e, 'InvalidArgument'))
    return new SourceError(`git fetch refused: ${message}`, false, message);
  // With prompts disabled, a rejected credential surfaces as an askpass or "could not read" error.
  const unauthorized =
    /Authentication failed|could not read (Username|Password)|askpass|returned error: 40[13]/iu.test(
      message,
    );
  return new SourceError(`git fetch failed: ${REMOTE_UNAVAILABLE_MESSAGE}`, unauthorized, message);
}
