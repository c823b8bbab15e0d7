/**
 * Picks the source implementation for an environment's configuration. Validation happens here,
 * at configuration time (a hostile git URL never reaches the git CLI): it throws InvalidArgument.
 */
import type { EnvironmentConfig } from '../config/instance-config.js';
import { createDirSource } from './dir-source.js';
import { createGitSource } from './git-source.js';
import type { SyncSource, TreeLimits } from './sync-source.js';
import { createUpstreamSource } from './upstream-source.js';

/** Settings shared by every source of an instance. */
export interface SourceFactoryOptions {
  dataDir: string;
  limits?: TreeLimits;
  /** Deadline of one git process or upstream request; default 15 s. */
  fetchTimeoutMs?: number;
  /** Allow local git paths and file:// URLs; default true (standalone mode). */
  allowLocalGit?: boolean;
  /** Allow git hosts on loopback/private/link-local addresses; default true (standalone). Off for tenant URLs. */
  allowPrivateGitHosts?: boolean;
}

/** A source plus the poll period its syncer should use (undefined: no polling). */
export interface ConfiguredSource {
  source: SyncSource;
  pollIntervalMs: number | undefined;
}

/** Safety poll for watched directories, in case an fs event is lost. */
const DIR_SAFETY_POLL_MS = 5_000;

/** Builds the source for `env`; throws InvalidArgument for an invalid configuration. */
export function createSource(env: EnvironmentConfig, options: SourceFactoryOptions): ConfiguredSource {
  const s = env.source;
  const limits = options.limits ? { limits: options.limits } : {};
  const timeoutMs = options.fetchTimeoutMs ?? 15_000;
  switch (s.type) {
    case 'dir':
      return { source: createDirSource({ path: s.path, watch: s.watch, ...limits }), pollIntervalMs: s.watch ? DIR_SAFETY_POLL_MS : undefined };
    case 'git':
      return {
        source: createGitSource({ envKey: env.key, source: s, dataDir: options.dataDir, timeoutMs, allowLocal: options.allowLocalGit ?? true, allowPrivateHosts: options.allowPrivateGitHosts ?? true, ...limits }),
        pollIntervalMs: s.pollIntervalMs,
      };
    case 'upstream':
      return { source: createUpstreamSource({ source: s, timeoutMs, ...limits }), pollIntervalMs: s.pollIntervalMs };
  }
}
