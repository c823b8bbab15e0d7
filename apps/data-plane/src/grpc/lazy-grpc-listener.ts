/**
 * The gRPC port, bound at start with a plain TCP listener; @grpc/grpc-js, protobufjs and the
 * parsed evaluation .proto (about 110 modules and 5 MB per process) are loaded when the first
 * connection arrives, and every connection is then handed to one grpc-js server through its
 * connection injector. Most instances are only ever asked over REST: they never pay for gRPC.
 * Invariant: a connection is injected into exactly one server, or destroyed once closing began.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { Server as GrpcServer } from '@grpc/grpc-js';
import type { GrpcDeps } from './grpc-server.js';

/** The gRPC listener: its port, whether the server code is loaded, and the graceful stop. */
export interface LazyGrpcListener {
  port: number;
  /** True once a connection made the process load the gRPC server. */
  loaded(): boolean;
  /** Stops accepting; lets in-flight calls finish for `graceMs`, then cuts them. */
  close(graceMs: number): Promise<void>;
}

interface Loaded {
  server: GrpcServer;
  inject(socket: Socket): void;
}

/** Loads grpc-js and the evaluation service once; every connection shares the result. */
async function loadServer(deps: GrpcDeps): Promise<Loaded> {
  const [grpc, { createGrpcServer }] = await Promise.all([
    import('@grpc/grpc-js'),
    import('./grpc-server.js'),
  ]);
  const server = createGrpcServer(deps);
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  return { server, inject: (socket) => injector.injectConnection(socket) };
}

function drain(server: GrpcServer, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function listen(server: NetServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

/** Binds the gRPC port now; the gRPC server itself starts with the first connection. */
export async function startLazyGrpcListener(
  deps: GrpcDeps,
  host: string,
  port: number,
): Promise<LazyGrpcListener> {
  let loading: Promise<Loaded> | undefined;
  let loaded: Loaded | undefined;
  let closing = false;
  // Paused: nothing is read from the socket until HTTP/2 takes it over, so no byte is lost.
  const listener = createServer({ pauseOnConnect: true, noDelay: true }, (socket) => {
    loading ??= loadServer(deps).then((l) => (loaded = l));
    loading.then(
      (l) => {
        if (closing) return void socket.destroy();
        l.inject(socket);
        socket.resume();
      },
      (e: unknown) => {
        deps.logger.error({ err: e }, 'gRPC server failed to load');
        socket.destroy();
      },
    );
  });
  const bound = await listen(listener, host, port);
  return {
    port: bound,
    loaded: () => loaded !== undefined,
    async close(graceMs) {
      closing = true;
      const stopped = new Promise<void>((resolve) => listener.close(() => resolve()));
      const server = loaded?.server ?? (await loading?.catch(() => undefined))?.server;
      if (server) await drain(server, graceMs);
      await stopped;
    },
  };
}
