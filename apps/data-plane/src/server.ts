/**
 * Assembles a data-plane instance: registry, token table, metrics, REST and gRPC servers, and
 * sync. `close()` is the graceful shutdown: stop accepting, end streams, drain in-flight HTTP
 * requests and gRPC calls (bounded by the grace period), then stop sync.
 */
import type { Server as HttpServer } from 'node:http';
import { errors } from '@switchyard/flags/runtime';
import type { Logger } from './logger.js';
import { TokenTable } from './auth/token-table.js';
import { defaultEnvironmentKey } from './config/default-environment.js';
import type { InstanceConfig } from './config/instance-config.js';
import { EvaluationService } from './evaluation/evaluation.service.js';
import { startLazyGrpcListener } from './grpc/lazy-grpc-listener.js';
import type { HttpDeps } from './http/http-deps.js';
import { createRestServer } from './http/http-server.js';
import { StreamHub } from './http/stream-hub.js';
import { DataPlaneMetrics } from './metrics/metrics.js';
import { Activity } from './state/activity.js';
import { EnvironmentRegistry } from './state/environment-registry.js';
import type { UsageCounter } from './metrics/usage-counter.js';

/** The part of the sync engineer's SyncManager the server uses. */
export interface SyncHandle {
  refresh(envKey?: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts sync for the configured environments (the sync engineer's `startSync`). */
export type SyncStarter = (opts: {
  environments: InstanceConfig['environments'];
  registry: EnvironmentRegistry;
  dataDir: string;
  logger: Logger;
  metrics: DataPlaneMetrics['registry'];
  /** Exact origins git sources may reach on non-public addresses. */
  allowedOrigins?: readonly string[];
}) => Promise<SyncHandle>;

/** A running instance. */
export interface DataPlane {
  httpPort: number;
  grpcPort: number;
  registry: EnvironmentRegistry;
  tokens: TokenTable;
  metrics: DataPlaneMetrics;
  /** When it last served a request (idle sleep). */
  activity: Activity;
  /** HTTP requests in progress (streams included). */
  inFlight(): number;
  /** Settles when sync has made its first attempt for every environment (rejects on bad sources). */
  firstSync: Promise<void>;
  close(): Promise<void>;
}

function listen(server: HttpServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

async function drainHttp(
  rest: ReturnType<typeof createRestServer>,
  graceMs: number,
): Promise<void> {
  const closed = new Promise<void>((resolve) => rest.server.close(() => resolve()));
  rest.server.closeIdleConnections();
  const deadline = Date.now() + graceMs;
  while (rest.inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  rest.server.closeAllConnections();
  await closed;
}

/** Starts an instance from a validated configuration. */
export async function startDataPlane(
  config: InstanceConfig,
  logger: Logger,
  startSync?: SyncStarter,
  opts: {
    registry?: EnvironmentRegistry;
    /** Counts evaluations for the control plane (instance mode); none when absent. */
    usage?: UsageCounter;
  } = {},
): Promise<DataPlane> {
  const registry =
    opts.registry ??
    new EnvironmentRegistry(
      config.environments.map((e) => e.key),
      defaultEnvironmentKey(config),
    );
  const metrics = new DataPlaneMetrics();
  const tokens = new TokenTable(config.auth.required, config.auth.tokens);
  const service = new EvaluationService(registry, metrics, opts.usage);
  const streams = new StreamHub(registry);
  const activity = new Activity(Date.now());
  let started = false;
  registry.onChange((env, snapshot) => {
    metrics.revision(env, snapshot.revision);
    logger.info({ environment: env, revision: snapshot.revision }, 'snapshot published');
  });
  let sync: SyncHandle | undefined;
  const refresh = async (env?: string) => {
    if (!sync) throw errors.unavailable('sync is starting');
    await sync.refresh(env);
  };
  const deps: HttpDeps = {
    service,
    registry,
    tokens,
    metrics,
    logger,
    streams,
    trustEdgeHeader: config.trustEdgeHeader,
    refresh: startSync ? refresh : undefined,
    activity,
    started: () => started,
  };
  const rest = createRestServer(deps, config.maxBodyBytes);
  const httpPort = await listen(rest.server, config.host, config.httpPort);
  const grpc = await startLazyGrpcListener(
    { service, tokens, metrics, logger, trustEdgeHeader: config.trustEdgeHeader, activity },
    config.host,
    config.grpcPort,
  );
  logger.info(
    {
      httpPort,
      grpcPort: grpc.port,
      host: config.host,
      environments: registry.keys(),
      auth: config.auth.required,
    },
    'listening',
  );
  // Servers listen before the first sync so /health answers and /ready reports 503 while it runs.
  const firstSync = startSync
    ? startSync({
        environments: config.environments,
        registry,
        dataDir: config.dataDir,
        logger,
        metrics: metrics.registry,
        allowedOrigins: config.allowedOrigins ?? [],
      }).then((s) => {
        sync = s;
      })
    : Promise.resolve();
  void firstSync.then(
    () => (started = true),
    () => (started = true),
  );
  let closing: Promise<void> | undefined;
  return {
    httpPort,
    grpcPort: grpc.port,
    registry,
    tokens,
    metrics,
    activity,
    firstSync,
    inFlight: () => rest.inFlight(),
    close() {
      closing ??= (async () => {
        // drainHttp stops accepting synchronously, before streams end, so no stream opens after.
        const http = drainHttp(rest, config.shutdownGraceMs);
        streams.close();
        await Promise.all([http, grpc.close(config.shutdownGraceMs)]);
        // A first sync still running (a slow clone) must not hold shutdown past the grace period.
        await Promise.race([
          firstSync.catch(() => undefined),
          new Promise((r) => setTimeout(r, config.shutdownGraceMs).unref()),
        ]);
        await sync?.stop();
      })();
      return closing;
    },
  };
}
