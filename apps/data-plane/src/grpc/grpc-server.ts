/**
 * `flipt.evaluation.EvaluationService` over @grpc/grpc-js, loaded at runtime from the
 * wire-compatible proto. Imported only by lazy-grpc-listener.ts, on the first gRPC connection. Same semantics as REST: `authorization`, `x-flipt-environment` and
 * `x-flipt-namespace` metadata; errors mapped once through GRPC_STATUS.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import {
  evaluationContract,
  type BatchEvaluationRequest__Output,
  type EvaluationRequest__Output,
} from '@switchyard/contracts';
import { GRPC_STATUS } from '@switchyard/flags/runtime';
import type { BatchItem } from '@switchyard/flags';
import type { Logger } from '../logger.js';
import type { TokenTable } from '../auth/token-table.js';
import type {
  EnvironmentHints,
  EvaluationService,
  ScopedRequest,
} from '../evaluation/evaluation.service.js';
import { toSwitchyardError } from '../http/http-kit.js';
import type { DataPlaneMetrics } from '../metrics/metrics.js';
import type { Activity } from '../state/activity.js';

/** Dependencies of the gRPC service. */
export interface GrpcDeps {
  service: EvaluationService;
  tokens: TokenTable;
  metrics: DataPlaneMetrics;
  logger: Logger;
  /** Honour `x-switchyard-edge-environment` metadata (set by the edge on gRPC through it). */
  trustEdgeHeader?: boolean;
  /** Last-served-request clock (idle sleep). */
  activity?: Activity | undefined;
}

function meta(call: grpc.ServerUnaryCall<unknown, unknown>, key: string): string | undefined {
  const v = call.metadata.get(key)[0];
  return typeof v === 'string' ? v : v?.toString('utf8');
}

function timestamp(): { seconds: number; nanos: number } {
  const ms = Date.now();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

function scoped(r: EvaluationRequest__Output, nsHeader: string | undefined): ScopedRequest {
  return {
    namespaceKey: r.namespaceKey || nsHeader || 'default',
    flagKey: r.flagKey,
    entityId: r.entityId,
    context: r.context,
    environmentKey: r.environmentKey,
  };
}

type Unary = grpc.handleUnaryCall<unknown, unknown>;

function unary(
  deps: GrpcDeps,
  name: string,
  run: (
    call: grpc.ServerUnaryCall<unknown, unknown>,
    hints: EnvironmentHints,
    start: number,
  ) => unknown,
): Unary {
  return (call, callback) => {
    const start = performance.now();
    deps.activity?.mark();
    try {
      const hints = {
        header: meta(call, 'x-flipt-environment'),
        edge: deps.trustEdgeHeader ? meta(call, 'x-switchyard-edge-environment') : undefined,
      };
      const result = run(call, hints, start);
      deps.metrics.request('grpc', name, 0, (performance.now() - start) / 1000);
      callback(null, result);
    } catch (e) {
      const err = toSwitchyardError(e);
      if (err.code === 'Internal') deps.logger.error({ err: e, method: name }, 'grpc call failed');
      deps.metrics.request('grpc', name, GRPC_STATUS[err.code], (performance.now() - start) / 1000);
      callback({ code: GRPC_STATUS[err.code], details: err.message });
    }
  };
}

function batchItem(
  item: BatchItem,
  request: EvaluationRequest__Output,
  nsHeader: string | undefined,
  env: { durationMs: number; ts: unknown },
) {
  const common = {
    requestId: request.requestId,
    requestDurationMillis: env.durationMs,
    timestamp: env.ts,
  };
  if (item.type === 'VARIANT_EVALUATION_RESPONSE_TYPE')
    return { type: item.type, variantResponse: { ...item.variantResponse, ...common } };
  if (item.type === 'BOOLEAN_EVALUATION_RESPONSE_TYPE')
    return { type: item.type, booleanResponse: { ...item.booleanResponse, ...common } };
  // Error items echo the namespace as requested (may be ""), as Flipt does.
  return {
    type: item.type,
    errorResponse: { ...item.errorResponse, namespaceKey: request.namespaceKey || nsHeader || '' },
  };
}

/** The service implementation (Boolean, Variant, Batch). */
export function evaluationHandlers(deps: GrpcDeps): grpc.UntypedServiceImplementation {
  const auth = (call: grpc.ServerUnaryCall<unknown, unknown>) =>
    deps.tokens.authenticate(meta(call, 'authorization'));
  return {
    Boolean: unary(deps, 'Boolean', (call, hints, start) => {
      const r = call.request as EvaluationRequest__Output;
      const result = deps.service.boolean(
        scoped(r, meta(call, 'x-flipt-namespace')),
        hints,
        auth(call),
      );
      return {
        ...result,
        requestId: r.requestId || randomUUID(),
        requestDurationMillis: performance.now() - start,
        timestamp: timestamp(),
      };
    }),
    Variant: unary(deps, 'Variant', (call, hints, start) => {
      const r = call.request as EvaluationRequest__Output;
      const result = deps.service.variant(
        scoped(r, meta(call, 'x-flipt-namespace')),
        hints,
        auth(call),
      );
      return {
        ...result,
        requestId: r.requestId || randomUUID(),
        requestDurationMillis: performance.now() - start,
        timestamp: timestamp(),
      };
    }),
    Batch: unary(deps, 'Batch', (call, hints, start) => {
      const b = call.request as BatchEvaluationRequest__Output;
      const ns = meta(call, 'x-flipt-namespace');
      const items = deps.service.batch(
        b.requests.map((r) => scoped(r, ns)),
        hints,
        auth(call),
      );
      const env = { durationMs: performance.now() - start, ts: timestamp() };
      return {
        requestId: b.requestId || randomUUID(),
        responses: items.map((item, i) => batchItem(item, b.requests[i]!, ns, env)),
        requestDurationMillis: env.durationMs,
      };
    }),
  };
}

/**
 * Server options. Keepalive: clients that ping every 30 s (even without calls) must never be cut.
 * grpc-js 1.14 enforces no ping policy of its own; these keys state the intended policy and keep
 * it if that changes. Server pings detect dead peers.
 */
export const GRPC_SERVER_OPTIONS: grpc.ServerOptions = {
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 10_000,
  'grpc.keepalive_time_ms': 60_000,
  'grpc.keepalive_timeout_ms': 20_000,
};

/** Creates the gRPC server with the evaluation service (not bound: connections are injected). */
export function createGrpcServer(deps: GrpcDeps): grpc.Server {
  const server = new grpc.Server(GRPC_SERVER_OPTIONS);
  server.addService(evaluationContract().EvaluationService.service, evaluationHandlers(deps));
  return server;
}
