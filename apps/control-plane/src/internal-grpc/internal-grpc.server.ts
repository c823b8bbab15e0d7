/**
 * The internal gRPC server (default 127.0.0.1:9100): InstanceService for data-plane instances
 * and EdgeService for the edge router. Plain @grpc/grpc-js rather than a Nest microservice so the
 * server starts with the HTTP app in one process and in tests, and streams can be ended cleanly
 * at shutdown. Never exposed publicly: instances and the edge authenticate with credentials
 * derived from the root secret. It starts when the HTTP server starts listening, so operator
 * commands that build the app without serving (bootstrap, openapi) never bind its port; tests
 * that drive the app through inject() call start() themselves.
 */
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server as HttpServer } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import {
  instanceContract,
  type EdgeServiceHandlers,
  type InstanceServiceHandlers,
  type WatchEvent,
  type WatchRequest__Output,
} from '@switchyard/contracts';
import type { Logger } from 'pino';
import type { ErrorCode } from '@switchyard/flags';
import { toSwitchyardError, unmapped } from '../common/error.filter.js';
import { CONFIG, LOGGER } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { InstanceConfigService } from '../instances/instance-config.service.js';
import { ChangeEvents, type ChangeEvent } from '../events/change-events.js';
import { InstanceStatusService } from '../instances/instance-status.service.js';
import { EdgeRoutesService } from '../instances/edge-routes.service.js';
import { GrpcAuth } from './grpc-auth.js';
import { TokenUsageRecorder } from './token-usage.recorder.js';
import { UsageIngest } from '../insights/usage-ingest.service.js';

/** gRPC status of each code of the closed set. */
function grpcStatus(code: ErrorCode): grpc.status {
  switch (code) {
    case 'NotFound':
      return grpc.status.NOT_FOUND;
    case 'InvalidArgument':
      return grpc.status.INVALID_ARGUMENT;
    case 'AlreadyExists':
      return grpc.status.ALREADY_EXISTS;
    case 'Conflict':
      return grpc.status.ABORTED;
    case 'FailedPrecondition':
      return grpc.status.FAILED_PRECONDITION;
    case 'Unauthenticated':
      return grpc.status.UNAUTHENTICATED;
    case 'PermissionDenied':
      return grpc.status.PERMISSION_DENIED;
    case 'ResourceExhausted':
      return grpc.status.RESOURCE_EXHAUSTED;
    case 'Unavailable':
      return grpc.status.UNAVAILABLE;
    case 'Internal':
      return grpc.status.INTERNAL;
    default:
      return unmapped(code);
  }
}

function toWire(e: ChangeEvent): WatchEvent {
  switch (e.kind) {
    case 'environment_changed':
      return { environmentChanged: { environmentKey: e.envKey, revision: e.revision } };
    case 'tokens_changed':
      return { tokensChanged: {} };
    // Events from other replicas may have been lost: the instance refetches as on a reconnect.
    case 'config_changed':
    case 'resync':
      return { configChanged: {} };
  }
}

/** Longest a wake may take when the edge sets no deadline. */
const DEFAULT_WAKE_MS = 15_000;

/** Time left for a wake: the caller's deadline, less a margin for the answer to get back. */
function wakeBudgetMs(deadline: grpc.Deadline): number {
  const at = deadline instanceof Date ? deadline.getTime() : Number(deadline);
  if (!Number.isFinite(at)) return DEFAULT_WAKE_MS;
  return Math.min(120_000, Math.max(0, at - Date.now() - 50));
}

function peerHost(peer: string): string {
  const i = peer.lastIndexOf(':');
  const host = i > 0 ? peer.slice(0, i) : peer;
  return host.replace(/^ipv4:/, '').replace(/^ipv6:/, '');
}

type WatchCall = grpc.ServerWritableStream<WatchRequest__Output, WatchEvent>;

/** Serves the internal gRPC services for the lifetime of the Nest application. */
@Injectable()
export class InternalGrpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  #server: grpc.Server | undefined;
  #starting: Promise<number> | undefined;
  #port = 0;
  readonly #streams = new Set<WatchCall>();

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly auth: GrpcAuth,
    private readonly configs: InstanceConfigService,
    private readonly events: ChangeEvents,
    private readonly status: InstanceStatusService,
    private readonly routes: EdgeRoutesService,
    private readonly tokenUsage: TokenUsageRecorder,
    private readonly usage: UsageIngest,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** The bound port (useful when configured as 0). */
  get port(): number {
    return this.#port;
  }

  onApplicationBootstrap(): void {
    const http = this.adapterHost.httpAdapter?.getHttpServer() as HttpServer | undefined;
    http?.once('listening', () => {
      this.start().catch((e: unknown) => {
        // Instances cannot be served without it: fail loudly rather than run half a control plane.
        this.logger.fatal({ err: e }, 'internal gRPC failed to start');
        setImmediate(() => process.exit(1));
      });
    });
  }

  /** Binds and serves (idempotent); resolves with the bound port. */
  start(): Promise<number> {
    this.#starting ??= this.#bind();
    return this.#starting;
  }

  async #bind(): Promise<number> {
    const { InstanceService, EdgeService } = instanceContract();
    const server = new grpc.Server({
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.keepalive_time_ms': 30_000,
    });
    const instance: InstanceServiceHandlers = {
      GetConfig: this.unary(async (call) => {
        const inst = await this.auth.instance(call.metadata);
        return this.configs.build(inst.id, inst.orgId);
      }),
      ReportStatus: this.unary(async (call) => {
        const inst = await this.auth.instance(call.metadata);
        await this.status.record(inst.id, call.request, peerHost(call.getPeer()));
        await this.tokenUsage.record(inst.orgId, call.request.tokenUsage);
        return {};
      }),
      ReportUsage: this.unary(async (call) => {
        const inst = await this.auth.instance(call.metadata);
        await this.usage.apply(inst.id, inst.orgId, call.request);
        return {};
      }),
      Watch: (call) => void this.watch(call),
    };
    const edge: EdgeServiceHandlers = {
      GetRoutes: this.unary(async (call) => {
        this.auth.edge(call.metadata);
        return this.routes.table();
      }),
      Wake: this.unary(async (call) => {
        this.auth.edge(call.metadata);
        return this.routes.wake(call.request.orgSlug, wakeBudgetMs(call.getDeadline()));
      }),
    };
    server.addService(InstanceService.service, instance);
    server.addService(EdgeService.service, edge);
    this.#port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        `${this.config.provisioning.grpcHost}:${this.config.provisioning.grpcPort}`,
        grpc.ServerCredentials.createInsecure(),
        (err, port) => (err ? reject(err) : resolve(port)),
      ),
    );
    this.#server = server;
    this.logger.info({ port: this.#port }, 'internal gRPC listening');
    return this.#port;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const s of this.#streams) s.end();
    const server = this.#server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, 2_000);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private unary<Req, Res>(
    fn: (call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>,
  ): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      fn(call).then(
        (value) => callback(null, value),
        (e: unknown) => callback(this.toStatus(e)),
      );
    };
  }

  /** The one place an error becomes a gRPC status; unknown errors are Internal (never leaked). */
  private toStatus(e: unknown): Partial<grpc.StatusObject> {
    const err = toSwitchyardError(e);
    if (err.code === 'Internal') this.logger.error({ err: e }, 'internal gRPC call failed');
    else this.logger.info({ code: err.code, reason: err.message }, 'internal gRPC call refused');
    return { code: grpcStatus(err.code), details: err.message };
  }

  private async watch(call: WatchCall): Promise<void> {
    let inst: { id: string; orgId: string };
    try {
      inst = await this.auth.instance(call.metadata);
    } catch (e) {
      call.emit('error', { ...this.toStatus(e), metadata: new grpc.Metadata() });
      return;
    }
    this.#streams.add(call);
    const unsubscribe = this.events.subscribe(inst.orgId, (ev) => call.write(toWire(ev)));
    const done = () => {
      unsubscribe();
      this.#streams.delete(call);
    };
    call.on('cancelled', done);
    call.on('close', done);
    call.on('error', done);
    // A (re)connected instance may have missed events: tell it to refetch first.
    call.write({ configChanged: {} });
    this.logger.debug({ instance: inst.id }, 'watch stream opened');
  }
}
