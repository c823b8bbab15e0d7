/**
 * Git source: the environment's branch mirrored by libs/git-store's read-only mirror (a bare
 * repository per environment under `dataDir/git/`, fetched under the address policy, read from
 * the object database, never checked out). This file only maps the mirror onto the sync port and
 * its failures onto what an environment's status shows.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { isSwitchyardError } from '@switchyard/flags/runtime';
import type { SourceConfig } from '../config/instance-config.js';
import {
  ReadMirror,
  REMOTE_UNAVAILABLE_MESSAGE,
  TreeRejectedError,
  type HostResolver,
} from '@switchyard/git-store';
import {
  DEFAULT_TREE_LIMITS,
  SourceError,
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

const REVISION = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/u;

/** Validates the configuration (throws InvalidArgument) and returns a git source. */
export function createGitSource(options: GitSourceOptions): SyncSource {
  const id = createHash('sha256')
    .update(`${options.envKey}\0${options.source.url}`)
    .digest('hex')
    .slice(0, 24);
  const mirror = ReadMirror.create({
    dir: join(options.dataDir, 'git', id),
    source: options.source,
    policy: {
      allowedOrigins: options.allowedOrigins ?? [],
      allowHttp: true,
      allowLocal: options.allowLocal ?? true,
      resolve: options.resolveHost,
    },
    credentials: options.source.credentials,
    limits: options.limits ?? DEFAULT_TREE_LIMITS,
    timeoutMs: options.timeoutMs ?? 15_000,
  });
  return new GitSource(mirror);
}

class GitSource implements SyncSource {
  readonly kind = 'git' as const;
  readonly fingerprint: string;

  constructor(private readonly mirror: ReadMirror) {
    const { url, branch, directory } = mirror.source;
    this.fingerprint = `git:${url}#${branch}:${directory}`;
  }

  async fetchHead(signal: AbortSignal): Promise<string> {
    try {
      return await this.mirror.fetch(signal);
    } catch (e) {
      throw toSourceError(e);
    }
  }

  async contentId(revision: string, signal: AbortSignal): Promise<string> {
    if (!REVISION.test(revision)) throw new SourceError('invalid revision');
    try {
      // A missing directory gets an id of its own; readTree reports it.
      return (await this.mirror.treeId(revision, signal)) ?? `missing:${revision}`;
    } catch (e) {
      throw toSourceError(e);
    }
  }

  async readTree(revision: string, signal: AbortSignal): Promise<SourceTree> {
    if (!REVISION.test(revision)) throw new SourceError('invalid revision');
    try {
      return { revision, files: await this.mirror.readTree(revision, signal) };
    } catch (e) {
      if (e instanceof TreeRejectedError) throw new InvalidTreeError(e.message, e.file);
      throw toSourceError(e);
    }
  }
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
