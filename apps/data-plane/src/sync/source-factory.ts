/**
 * Picks the source implementation for an environment's configuration. Validation happens here,
 * at configuration time (a hostile git URL never reaches the git CLI): it throws InvalidArgument.
 */
import { parseAllowedOrigins, type HostResolver } from '@switchyard/git-store';
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
  /**
   * Exact origins (`scheme://host:port`) git sources may reach on non-public addresses; every
   * other host must resolve to public addresses only, in every mode (libs/git-store's policy).
   */
  allowedOrigins?: readonly string[];
  /** DNS resolver of the address policy (tests inject one); the system resolver by default. */
  resolveHost?: HostResolver;
}

/** A source plus the poll period its syncer should use (undefined: no polling). */
export interface ConfiguredSource {
  source: SyncSource;
  pollIntervalMs: number | undefined;
}

/** Safety poll for watched directories, in case an fs event is lost. */
const DIR_SAFETY_POLL_MS = 5_000;

/** Builds the source for `env`; throws InvalidArgument for an invalid configuration. */
export function createSource(
  env: EnvironmentConfig,
  options: SourceFactoryOptions,
): ConfiguredSource {
  const s = env.source;
  const limits = options.limits ? { limits: options.limits } : {};
  const timeoutMs = options.fetchTimeoutMs ?? 15_000;
  switch (s.type) {
    case 'dir':
      return {
        source: createDirSource({ path: s.path, watch: s.watch, ...limits }),
        pollIntervalMs: s.watch ? DIR_SAFETY_POLL_MS : undefined,
      };
    case 'git':
      return {
        source: createGitSource({
          envKey: env.key,
          source: s,
          dataDir: options.dataDir,
          timeoutMs,
          allowLocal: options.allowLocalGit ?? true,
          allowedOrigins: parseAllowedOrigins(options.allowedOrigins ?? []).origins,
          ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
          ...limits,
        }),
        pollIntervalMs: s.pollIntervalMs,
      };
    case 'upstream':
      return {
        source: createUpstreamSource({ source: s, timeoutMs, ...limits }),
        pollIntervalMs: s.pollIntervalMs,
      };
  }
}
