/**
 * Instance mode: a data plane owned by the control plane. It fetches its configuration over the
 * internal gRPC service, keeps a watch stream open (environment changed → sync that environment
 * now; tokens or configuration changed → refetch and apply the difference), reports status, and
 * keeps serving from the cached configuration and persisted snapshots while the control plane
 * is unreachable.
 *
 * Invariants: configuration changes apply one at a time, in arrival order; the token table is
 * replaced as a whole; an environment whose source did not change keeps its syncer (and snapshot).
 */
import type { Logger } from '../logger.js';
import { Backoff, retry, type BackoffPolicy } from '@switchyard/retry';
import type { InstanceConfig } from '../config/instance-config.js';
import { startDataPlane, type DataPlane, type SyncStarter } from '../server.js';
import { startSync, type SyncManager } from '../sync/index.js';
import type { InstanceConfiguration__Output, WatchEvent__Output } from '@switchyard/contracts';
import { ControlPlaneClient } from './control-plane-client.js';
import {
  environmentsOf,
  loadCachedConfig,
  nextExpiry,
  saveCachedConfig,
  tokensOf,
} from './instance-config-mapper.js';
import { StatusReporter } from './status-reporter.js';
import { UsageCounter } from '../metrics/usage-counter.js';
import { UsageReporter } from './usage-reporter.js';

/** Options of {@link startInstance}. */
export interface InstanceModeOptions {
  instanceId: string;
  controlPlaneUrl: string;
  secret: string;
  host: string;
  httpPort: number;
  grpcPort: number;
  dataDir: string;
  logLevel: string;
  /** Period of status reports (default 5 s; changes are also reported as they happen). */
  statusIntervalMs?: number;
  /** Period of evaluation-count batches (default 5 s): a crash loses at most this much counting. */
  usageIntervalMs?: number;
}

/** A running instance-mode data plane. */
export interface RunningInstance {
  dataPlane: DataPlane;
  close(): Promise<void>;
}

/**
 * Retry delays towards the control plane (configuration fetch, watch stream): 250 ms doubling to
 * 5 s, jittered so the instances of a fleet do not reconnect in lockstep after a restart.
 */
const CONTROL_PLANE_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 5_000 };

/** Longest a start waits to catch up with the control plane's revisions before serving anyway. */
const CATCH_UP_TIMEOUT_MS = 10_000;

/** The configuration to start with, and whether it came from the control plane just now. */
async function initialConfig(
  client: ControlPlaneClient,
  opts: InstanceModeOptions,
  logger: Logger,
): Promise<{ config: InstanceConfiguration__Output; fresh: boolean }> {
  const cached = loadCachedConfig(opts.dataDir, opts.instanceId);
  try {
    // Without a cache there is nothing to serve: retry until the control plane answers.
    const config = await retry(
      async () => {
        const fresh = await client.getConfig(cached ? 2_000 : 5_000);
        saveCachedConfig(opts.dataDir, fresh);
        return fresh;
      },
      {
        maxAttempts: cached ? 1 : Infinity,
        backoff: CONTROL_PLANE_BACKOFF,
        onRetry: (err, _attempt, retryInMs) =>
          logger.warn(
            { err, retryInMs },
            'control plane unreachable and no cached configuration; retrying',
          ),
      },
    );
    return { config, fresh: true };
  } catch (e) {
    // A cached configuration is enough to serve: the control plane may be down for a while.
    if (!cached) throw e;
    logger.warn({ err: e }, 'control plane unreachable; serving the cached configuration');
    return { config: cached, fresh: false };
  }
}

/**
 * A start (a wake from sleep, a restart) loads persisted snapshots first so it can answer fast,
 * but commits made while it was stopped must be in force before it serves: every environment whose
 * persisted revision is not the one the control plane named (or whose head the control plane does
 * not know: external repositories) syncs once before startup completes (and /ready turns 200).
 * Bounded: a source that does not answer leaves the persisted snapshot serving, as before.
 */
async function catchUp(
  sync: SyncManager,
  registry: DataPlane['registry'],
  revisions: Record<string, string>,
  logger: Logger,
): Promise<void> {
  const stale = registry.keys().filter((key) => {
    const served = registry.snapshot(key)?.revision;
    return served === undefined || !revisions[key] || revisions[key] !== served;
  });
  if (stale.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), CATCH_UP_TIMEOUT_MS).unref();
  });
  const done = Promise.all(stale.map((key) => sync.refresh(key))).then(() => false);
  if (await Promise.race([done, timedOut]))
    logger.warn({ environments: stale }, 'start: sources slow; serving the persisted snapshots');
  clearTimeout(timer);
}

/** Starts the data plane in instance mode. */
export async function startInstance(
  opts: InstanceModeOptions,
  logger: Logger,
): Promise<RunningInstance> {
  const client = new ControlPlaneClient({
    url: opts.controlPlaneUrl,
    instanceId: opts.instanceId,
    secret: opts.secret,
  });
  const initial = await initialConfig(client, opts, logger);
  let current = initial.config;
  const config: InstanceConfig = {
    host: opts.host,
    httpPort: opts.httpPort,
    grpcPort: opts.grpcPort,
    dataDir: opts.dataDir,
    logLevel: opts.logLevel,
    // Instances only ever sit behind the edge router or the Ingress, which set the environment.
    trustEdgeHeader: true,
    maxBodyBytes: 1024 * 1024,
    shutdownGraceMs: 5_000,
    auth: { required: true, tokens: tokensOf(current, Date.now()) },
    environments: environmentsOf(current),
  };
  let sync: SyncManager | undefined;
  const starter: SyncStarter = async (o) => {
    sync = await startSync({
      ...o,
      allowLocalGit: false,
      allowedOrigins: current.allowedOrigins,
    });
    // Only a configuration fetched now names current revisions (a cached one is from before).
    if (initial.fresh) await catchUp(sync, o.registry, current.revisions ?? {}, logger);
    return sync;
  };
  const usage = new UsageCounter();
  const dp = await startDataPlane(config, logger, starter, { usage });
  const usageReporter = new UsageReporter(client, usage, logger, {
    instanceId: opts.instanceId,
    startedAtMs: Date.now(),
    intervalMs: opts.usageIntervalMs ?? 5_000,
  });
  usageReporter.start();
  const reporter = new StatusReporter(
    client,
    dp,
    () => current.version,
    logger,
    opts.statusIntervalMs ?? 5_000,
  );
  let expiryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const applyTokens = () => {
    dp.tokens.replace(tokensOf(current, Date.now()), true);
    if (expiryTimer) clearTimeout(expiryTimer);
    const next = nextExpiry(current, Date.now());
    // setTimeout overflows past ~24.8 days; re-check daily instead.
    if (next !== undefined)
      expiryTimer = setTimeout(applyTokens, Math.min(next - Date.now() + 5, 86_400_000)).unref();
  };

  const apply = async (next: InstanceConfiguration__Output) => {
    await dp.firstSync.catch(() => undefined);
    const before = new Map(environmentsOf(current).map((e) => [e.key, JSON.stringify(e)]));
    const after = environmentsOf(next);
    current = next;
    applyTokens();
    saveCachedConfig(opts.dataDir, next);
    for (const key of before.keys()) if (!after.some((e) => e.key === key)) await sync?.remove(key);
    for (const env of after) {
      if (before.get(env.key) === JSON.stringify(env)) continue;
      await sync
        ?.add(env)
        .catch((e: unknown) =>
          logger.error({ err: e, environment: env.key }, 'environment source rejected'),
        );
    }
    logger.info(
      { version: next.version, environments: after.map((e) => e.key), tokens: next.tokens.length },
      'configuration applied',
    );
    reporter.soon();
  };

  let chain: Promise<void> = Promise.resolve();
  // Events coalesce: while a fetch is queued and not yet started, it will see every change made
  // so far, so another event adds nothing. Without this, a burst of N token mints queued N full
  // configuration fetches of up to N tokens each (scripts/bench/l8-token-auth.mjs: 1,000 tokens
  // minted at 5 per second, and fetches still running a minute after the burst).
  let queued = false;
  const refetch = () => {
    if (queued) return;
    queued = true;
    chain = chain
      .then(async () => {
        queued = false; // from here on a change may postdate this fetch: it queues another
        const next = await client.getConfig();
        if (next.version !== current.version) await apply(next);
      })
      .catch((e: unknown) => logger.warn({ err: e }, 'configuration refresh failed'));
  };

  const onEvent = (ev: WatchEvent__Output) => {
    const changed = ev.event === 'environmentChanged' ? ev.environmentChanged : null;
    if (changed) {
      const key = changed.environmentKey;
      logger.debug({ environment: key, revision: changed.revision }, 'environment changed');
      void sync?.refresh(key);
    } else refetch();
  };

  // Reset by the first event of a stream: a healthy stream that drops reconnects quickly.
  const watchBackoff = new Backoff(CONTROL_PLANE_BACKOFF);
  const openWatch = () => {
    if (closed) return;
    const stream = client.watch();
    let ended = false;
    stream.on('data', (ev: WatchEvent__Output) => {
      watchBackoff.reset();
      onEvent(ev);
    });
    stream.on('error', () => undefined);
    stream.on('status', (status: { code: number; details: string }) => {
      if (ended || closed) return;
      ended = true;
      const retryInMs = watchBackoff.next();
      logger.warn(
        { code: status.code, details: status.details, retryInMs },
        'watch stream ended; reconnecting',
      );
      setTimeout(openWatch, retryInMs).unref();
    });
    watchStream = stream;
  };
  let watchStream: ReturnType<ControlPlaneClient['watch']> | undefined;
  void dp.firstSync.finally(() => {
    applyTokens();
    openWatch();
    reporter.start();
  });

  return {
    dataPlane: dp,
    async close() {
      closed = true;
      if (expiryTimer) clearTimeout(expiryTimer);
      reporter.stop();
      watchStream?.cancel();
      await dp.close();
      // After the servers drained: the last requests' counts are in this final batch.
      await usageReporter.stop();
      client.close();
    },
  };
}
