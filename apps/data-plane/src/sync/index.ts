/**
 * Sync entry point for the data plane: one {@link EnvironmentSyncer} per configured environment,
 * publishing into the shared EnvironmentRegistry. Sources are validated before anything starts
 * (a bad configuration throws InvalidArgument); a source that is down never makes startSync throw.
 */
import type { Logger } from '../logger.js';
import type { EnvironmentConfig } from '../config/instance-config.js';
import type { EnvironmentRegistry } from '../state/environment-registry.js';
import type { EnvironmentSyncer } from './environment-syncer.js';
import { SnapshotStore } from './snapshot-store.js';
import { createSource, type SourceFactoryOptions } from './source-factory.js';
import { createSyncMetrics } from './sync-metrics.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';

export { DEFAULT_TREE_LIMITS } from './sync-source.js';
export { syncStatus, DEFAULT_DEGRADED_AFTER_MS } from './sync-status.js';
export type { SyncStatus } from './sync-status.js';
export type { TreeLimits } from './sync-source.js';

/** Options of {@link startSync}. */
export interface StartSyncOptions extends Partial<Omit<SourceFactoryOptions, 'dataDir'>> {
  environments: EnvironmentConfig[];
  registry: EnvironmentRegistry;
  /** Holds git mirrors (`git/`) and persisted snapshots (`snapshots/`). */
  dataDir: string;
  logger: Logger;
  metrics: MetricRegistry;
}

/** Running sync of every environment. */
export interface SyncManager {
  /** Syncs one environment (or all) now; resolves when that sync finished. Unknown keys resolve at once. */
  refresh(envKey?: string): Promise<void>;
  /** Stops every loop and waits for in-flight work. */
  stop(): Promise<void>;
  /** Starts syncing a new environment (instance mode: configuration changed); replaces one with the same key. */
  add(env: EnvironmentConfig): Promise<void>;
  /** Stops syncing an environment and removes it from the registry. */
  remove(envKey: string): Promise<void>;
}

/** Validates every source, starts syncing, and resolves after every environment's first attempt (or warm cache). */
export async function startSync(opts: StartSyncOptions): Promise<SyncManager> {
  const factory: SourceFactoryOptions = { ...opts, dataDir: opts.dataDir };
  const configured = opts.environments.map((env) => ({ env, ...createSource(env, factory) }));
  const store = new SnapshotStore(opts.dataDir);
  const metrics = createSyncMetrics(opts.metrics);
  const logger = opts.logger.child({ component: 'sync' });
  const syncers = new Map<string, EnvironmentSyncer>();
  // The syncer builds snapshots with the flag-file loader (zod, yaml: a few MB once loaded): an
  // instance without environments (a new organisation) does not load it until one is added.
  const syncerClass = () => import('./environment-syncer.js').then((m) => m.EnvironmentSyncer);
  const newSyncer = async (
    key: string,
    { source, pollIntervalMs }: ReturnType<typeof createSource>,
  ) =>
    new (await syncerClass())({
      key,
      source,
      registry: opts.registry,
      store,
      metrics,
      logger,
      pollIntervalMs,
    });
  for (const { env, ...created } of configured)
    syncers.set(env.key, await newSyncer(env.key, created));
  await Promise.all([...syncers.values()].map((s) => s.start()));
  const remove = async (envKey: string) => {
    const syncer = syncers.get(envKey);
    syncers.delete(envKey);
    // Stop first: a syncer finishing an attempt must not publish into a re-added environment.
    await syncer?.stop();
    opts.registry.remove(envKey);
  };
  return {
    async add(env) {
      // Validated before anything stops, so a bad new source leaves the old one serving.
      const created = createSource(env, factory);
      await syncerClass(); // loaded before the old syncer stops, so a failed import leaves it serving
      await remove(env.key);
      const syncer = await newSyncer(env.key, created);
      syncers.set(env.key, syncer);
      opts.registry.add(env.key);
      await syncer.start();
    },
    remove,
    async refresh(envKey) {
      if (envKey === undefined) await Promise.all([...syncers.values()].map((s) => s.sync()));
      else await syncers.get(envKey)?.sync();
    },
    async stop() {
      await Promise.all([...syncers.values()].map((s) => s.stop()));
    },
  };
}
