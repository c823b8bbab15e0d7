/**
 * Read-only mirror of one branch of a remote: a bare repository that is fetched into and read
 * from, never checked out and never pushed from. A hostile repository therefore cannot write
 * anywhere: files are read straight from the object database (`ls-tree` + `cat-file --batch`),
 * symlinks and submodules are skipped, and entries whose path could escape the root are ignored.
 * The URL, branch and directory pass the remote policy when the mirror is created; the host is
 * resolved, checked and pinned again before every fetch (a name may resolve elsewhere since).
 * Every git process is bounded by a deadline and the caller's abort signal; trees are bounded by
 * file count, file size and total size, checked on the listing before any content is read.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TreeLimits } from '@switchyard/flags';
import { GitExecError, runGit } from './git-exec.js';
import { GitStore } from './git-store.js';
import { ObjectReader } from './object-db.js';
import { initBare } from './repo-files.js';
import {
  pinRemote,
  validateGitSource,
  type RemotePolicy,
  type ValidatedGitSource,
} from './remote-policy.js';

/** A tree crossed a limit or the environment directory is missing: the commit is unusable. */
export class TreeRejectedError extends Error {
  constructor(
    message: string,
    /** The file that crossed a limit, when one did. */
    readonly file?: string,
  ) {
    super(message);
    this.name = 'TreeRejectedError';
  }
}

/** Accumulates sizes and throws {@link TreeRejectedError} as soon as a limit is crossed. */
export class TreeBudget {
  #files = 0;
  #bytes = 0;
  constructor(private readonly limits: TreeLimits) {}

  /** Accounts for one more file of `size` bytes at `path`. */
  add(path: string, size: number): void {
    this.#files += 1;
    this.#bytes += size;
    if (size > this.limits.maxFileBytes)
      throw new TreeRejectedError(
        `${path}: file is ${size} bytes, over the ${this.limits.maxFileBytes}-byte limit`,
        path,
      );
    if (this.#files > this.limits.maxFiles)
      throw new TreeRejectedError(
        `more than ${this.limits.maxFiles} files under the environment root`,
      );
    if (this.#bytes > this.limits.maxTotalBytes)
      throw new TreeRejectedError(
        `files under the environment root exceed ${this.limits.maxTotalBytes} bytes`,
        path,
      );
  }
}

/** One listed regular file under the root. */
export interface TreeEntry {
  path: string;
  oid: string;
  size: number;
}

/** Options of {@link ReadMirror.create}. */
export interface ReadMirrorOptions {
  /** Directory of the bare mirror (created on the first fetch). */
  dir: string;
  /** The remote and what to read from it; validated against `policy` (InvalidArgument). */
  source: { url: string; branch: string; directory?: string | undefined };
  policy: RemotePolicy;
  /** Basic-auth credentials, sent as an HTTP header through the environment (never argv). */
  credentials?: { username?: string | undefined; password?: string | undefined } | undefined;
  limits: TreeLimits;
  /** Deadline of one git process (fetch, ls-tree, cat-file); default 15 s. */
  timeoutMs?: number;
  /**
   * Git wire protocol. 2 (default): a changed branch costs three requests (capabilities, ls-refs
   * of that branch only, fetch), an unchanged one two, whatever else the remote holds. 0: two
   * requests for a change, but the remote advertises every ref on each poll (a hosting service's
   * `refs/pull/*` included), so only for remotes with few refs where requests are expensive.
   */
  protocolVersion?: 0 | 2;
}

/** Fetches between `git gc --auto` runs on a mirror. */
const GC_EVERY = 200;

const REVISION = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/u;

/** A read-only mirror of one branch of a remote (see the module comment). */
export class ReadMirror {
  readonly source: ValidatedGitSource;
  readonly dir: string;
  readonly #policy: RemotePolicy;
  readonly #config: Record<string, string>;
  readonly #limits: TreeLimits;
  readonly #timeoutMs: number;
  #initialised = false;
  #fetches = 0;

  private constructor(source: ValidatedGitSource, options: ReadMirrorOptions) {
    this.source = source;
    this.dir = options.dir;
    this.#policy = options.policy;
    this.#config = mirrorConfig(source, options.credentials, options.protocolVersion ?? 2);
    this.#limits = options.limits;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** Validates the source against the policy (throws InvalidArgument listing every problem). */
  static create(options: ReadMirrorOptions): ReadMirror {
    return new ReadMirror(validateGitSource(options.source, options.policy), options);
  }

  /**
   * Fetches the branch (forced: the remote is the source of truth) and returns its head commit.
   * Throws InvalidArgument when the policy refuses the host now, GitExecError otherwise.
   */
  async fetch(signal: AbortSignal): Promise<string> {
    await this.#init();
    const ref = `refs/heads/${this.source.branch}`;
    const pin = await pinRemote(this.source.url, this.#policy);
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
      { config: { ...this.#config, ...pin.config }, env: pin.env },
    );
    await this.#maybeCompact(signal);
    return this.#head(ref, signal);
  }

  /**
   * Id of the environment directory's tree at `revision` (equal ids mean equal files), or null
   * when the directory does not exist there ({@link readTree} reports why).
   */
  async treeId(revision: string, signal: AbortSignal): Promise<string | null> {
    checkRevision(revision);
    aborted(signal);
    // `<rev>:<dir>` names the directory's tree (a `^{tree}` suffix would be read as part of the path).
    const dir = this.source.directory;
    const info = await this.#objects().info(
      dir === '' ? `${revision}^{tree}` : `${revision}:${dir}`,
    );
    return info?.type === 'tree' ? info.oid : null;
  }

  /**
   * Every regular file under the environment directory at `revision`. Throws TreeRejectedError
   * when a limit is crossed or the directory is missing, GitExecError when git fails (a commit
   * that was never fetched, a deadline). Read through the mirror's long-lived `cat-file` (no
   * process per sync); sizes are checked against the limits before any content is read.
   */
  async readTree(revision: string, signal: AbortSignal): Promise<Map<string, Uint8Array>> {
    checkRevision(revision);
    aborted(signal);
    const dir = this.source.directory;
    const store = new GitStore(this.dir);
    const listed = await store.files(revision, dir);
    if (listed === null) {
      // Tell "commit missing" (a fetch problem) from "directory missing" (bad commit).
      if (!(await store.hasCommit(revision)))
        throw new GitExecError(
          `git cat-file failed: commit ${revision} is missing`,
          128,
          Buffer.alloc(0),
        );
      throw new TreeRejectedError(`directory "${dir}" does not exist at this commit`);
    }
    // One past the file limit is enough for the budget to refuse a tree with too many files.
    const candidates = listed.slice(0, this.#limits.maxFiles + 1);
    const reader = this.#objects();
    const infos = await Promise.all(candidates.map((e) => reader.info(e.oid)));
    const budget = new TreeBudget(this.#limits);
    const entries: TreeEntry[] = candidates.map((e, i) => {
      const size = infos[i]?.size ?? 0;
      budget.add(e.path, size);
      return { path: e.path, oid: e.oid, size };
    });
    aborted(signal);
    const contents = await store.readFiles(entries);
    const files = new Map<string, Uint8Array>();
    for (const entry of entries) {
      const content = contents.get(entry.path)!;
      if (content.length !== entry.size)
        throw new GitExecError(
          `git cat-file failed: object ${entry.oid} could not be read`,
          0,
          content,
        );
      files.set(entry.path, new Uint8Array(content.buffer, content.byteOffset, content.length));
    }
    return files;
  }

  #objects(): ObjectReader {
    return ObjectReader.for(this.dir);
  }

  /**
   * The fetched head. Fetch writes the branch as a loose ref file holding the id, so it is read
   * from disk instead of spawning `rev-parse` on every sync; anything else (a packed ref after
   * gc) goes through git.
   */
  async #head(ref: string, signal: AbortSignal): Promise<string> {
    const loose = await readFile(join(this.dir, ...ref.split('/')), 'utf8').catch(() => '');
    if (REVISION.test(loose.trim())) return loose.trim();
    const out = await this.#git(
      ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`],
      signal,
    );
    return out.toString('utf8').trim();
  }

  /**
   * Auto-gc is off (it would detach a background process outside our deadline), so every
   * GC_EVERY fetches `gc --auto` runs in the foreground: packs and loose objects stay bounded.
   */
  async #maybeCompact(signal: AbortSignal): Promise<void> {
    this.#fetches += 1;
    if (this.#fetches % GC_EVERY !== 0) return;
    await this.#git(
      ['-c', 'gc.auto=6700', '-c', 'gc.autoDetach=false', 'gc', '--auto', '--quiet'],
      signal,
    ).catch(() => undefined);
  }

  async #init(): Promise<void> {
    if (this.#initialised) return;
    const exists = await access(join(this.dir, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (!exists) await initBare(this.dir);
    this.#initialised = true;
  }

  #git(
    args: string[],
    signal: AbortSignal,
    extra: {
      config?: Record<string, string>;
      env?: Record<string, string>;
      maxBuffer?: number;
      input?: string;
    } = {},
  ): Promise<Buffer> {
    return runGit(args, {
      cwd: this.dir,
      config: extra.config ?? this.#config,
      env: extra.env ?? {},
      signal,
      timeoutMs: this.#timeoutMs,
      maxBuffer: extra.maxBuffer ?? 64 * 1024 * 1024,
      ...(extra.input !== undefined ? { input: extra.input } : {}),
    });
  }
}

/** An aborted sync stops before the next read, as a killed git process would have stopped it. */
function aborted(signal: AbortSignal): void {
  if (signal.aborted) throw new GitExecError('git read aborted', undefined, Buffer.alloc(0), true);
}

function checkRevision(revision: string): void {
  if (!REVISION.test(revision))
    throw new GitExecError('invalid revision', undefined, Buffer.alloc(0));
}

/**
 * Per-mirror git settings: the wire protocol (see `protocolVersion`), local transport when
 * configured, credentials as an HTTP header.
 */
function mirrorConfig(
  valid: ValidatedGitSource,
  credentials: ReadMirrorOptions['credentials'],
  protocolVersion: 0 | 2,
): Record<string, string> {
  const config: Record<string, string> = { 'protocol.version': String(protocolVersion) };
  if (valid.local) config['protocol.file.allow'] = 'always';
  if (credentials && (credentials.username !== undefined || credentials.password !== undefined)) {
    const basic = Buffer.from(
      `${credentials.username ?? 'git'}:${credentials.password ?? ''}`,
    ).toString('base64');
    config['http.extraHeader'] = `Authorization: Basic ${basic}`;
  }
  return config;
}
