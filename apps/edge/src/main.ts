#!/usr/bin/env node
/**
 * `switchyard-edge`: loads the route table (persisted copy first, then the control plane) and
 * serves environment URLs on EDGE_PORT (default 8088): HTTP/1.1, and gRPC over h2c on the same port.
 */
import { pino } from 'pino';
import { EdgeConfigError, loadEdgeConfig } from './edge.config.js';
import { createGrpcForwarder } from './edge-grpc.js';
import { createEdgeListener } from './edge-listener.js';
import { createEdgeServer } from './edge-server.js';
import { RouteTable } from './route-table.js';

async function main(): Promise<void> {
  const config = loadEdgeConfig(process.env);
  const logger = pino({
    level: config.logLevel,
    base: { service: 'switchyard-edge' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  const routes = new RouteTable(
    {
      controlPlaneUrl: config.controlPlaneUrl,
      token: config.token,
      dataDir: config.dataDir,
      refreshMs: config.refreshMs,
      wakeTimeoutMs: config.wakeTimeoutMs,
      wakeQueue: config.wakeQueue,
    },
    logger,
  );
  if (!(await routes.start()))
    logger.warn('control plane unreachable at start; serving the persisted route table');
  const { server, agent } = createEdgeServer(
    routes,
    {
      evalDomain: config.evalDomain,
      trustedProxies: config.trustedProxies,
      maxUrlBytes: config.maxUrlBytes,
    },
    logger,
  );
  const grpc = createGrpcForwarder(routes, { evalDomain: config.evalDomain }, logger);
  // HTTP/1.1 and h2c (gRPC) share the port.
  const listener = createEdgeListener(server, grpc.server);
  await new Promise<void>((resolve) => listener.listen(config.port, config.host, resolve));
  logger.info(
    { host: config.host, port: config.port, evalDomain: config.evalDomain ?? null },
    'edge listening',
  );
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      routes.stop();
      listener.close(() => {
        agent.destroy();
        process.exit(0);
      });
      server.closeIdleConnections();
      server.close();
      grpc.close();
      grpc.server.close();
      setTimeout(() => process.exit(0), 5_000).unref();
    });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(
    e instanceof EdgeConfigError ? `${e.message}\n` : `${(e as Error).stack ?? String(e)}\n`,
  );
  process.exit(e instanceof EdgeConfigError ? 2 : 1);
});
