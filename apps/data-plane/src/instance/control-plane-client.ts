/**
 * Client of the control plane's internal InstanceService (proto/switchyard/controlplane/v1).
 * The proto is loaded at runtime with @grpc/proto-loader, like the Flipt evaluation proto: no
 * generated code to keep in sync, and the wire contract stays the .proto file.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { TokenUse } from '../auth/token-table.js';
import { PROTO_OPTIONS, PROTO_ROOT } from '../grpc/grpc-server.js';

/** Git source of one environment as the control plane sends it. */
export interface RemoteGitSource {
  url: string;
  branch: string;
  directory: string;
  credentials?: { username: string; password: string } | null;
  pollIntervalMs: number;
}

/** One environment of the organisation. */
export interface RemoteEnvironment {
  id: string;
  key: string;
  name: string;
  git?: RemoteGitSource | null;
}

/** A client token (hash only) and its scope. */
export interface RemoteToken {
  id: string;
  name: string;
  sha256: string;
  environments: string[];
  namespaces: string[];
  /** Unix ms as a decimal string (longs: String); "0" means no expiry. */
  expiresAtMs: string;
}

/** The instance's whole configuration. */
export interface RemoteConfiguration {
  instanceId: string;
  orgId: string;
  orgSlug: string;
  environments: RemoteEnvironment[];
  tokens: RemoteToken[];
  version: string;
  /** Exact origins git sources may reach on non-public addresses (absent in configurations cached before it existed). */
  allowedOrigins?: string[];
}

/** One watch-stream notification. */
export type WatchEvent =
  | {
      event: 'environmentChanged';
      environmentChanged: { environmentKey: string; revision: string };
    }
  | { event: 'tokensChanged' }
  | { event: 'configChanged' };

/** Status of one environment, reported to the control plane. */
export interface EnvironmentStatusReport {
  key: string;
  revision: string;
  ready: boolean;
  lastError: string;
  lastSyncAtMs: number;
  /** Structured last sync error (absent after a successful sync). */
  error?: SyncErrorReport | undefined;
}

/** Where a sync failed, as the SyncError message carries it (empty string / 0 = unknown). */
export interface SyncErrorReport {
  message: string;
  revision: string;
  file: string;
  line: number;
  column: number;
  atMs: number;
}

/** Where and as whom to call the control plane. */
export interface ControlPlaneTarget {
  /** `grpc://host:port` (plaintext) or `grpcs://host:port` (TLS). */
  url: string;
  instanceId: string;
  secret: string;
}

type Callback<T> = (err: grpc.ServiceError | null, value?: T) => void;
interface RawClient extends grpc.Client {
  GetConfig(
    req: object,
    md: grpc.Metadata,
    opts: grpc.CallOptions,
    cb: Callback<RemoteConfiguration>,
  ): void;
  Watch(req: object, md: grpc.Metadata): grpc.ClientReadableStream<WatchEvent>;
  ReportStatus(req: object, md: grpc.Metadata, opts: grpc.CallOptions, cb: Callback<object>): void;
}

function loadServiceClient(): grpc.ServiceClientConstructor {
  const def = protoLoader.loadSync('switchyard/controlplane/v1/instance.proto', {
    ...PROTO_OPTIONS,
    includeDirs: [PROTO_ROOT],
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    switchyard: { controlplane: { v1: { InstanceService: grpc.ServiceClientConstructor } } };
  };
  return pkg.switchyard.controlplane.v1.InstanceService;
}

/** A thin typed wrapper around the generated-at-runtime client. */
export class ControlPlaneClient {
  readonly #client: RawClient;
  readonly #target: ControlPlaneTarget;

  constructor(target: ControlPlaneTarget) {
    const url = new URL(target.url);
    if (url.protocol !== 'grpc:' && url.protocol !== 'grpcs:')
      throw new Error(`control plane URL must be grpc:// or grpcs://, got ${target.url}`);
    const creds =
      url.protocol === 'grpcs:' ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
    const Service = loadServiceClient();
    this.#client = new Service(url.host, creds, {
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
    }) as unknown as RawClient;
    this.#target = target;
  }

  #metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    md.set('x-switchyard-instance-id', this.#target.instanceId);
    md.set('authorization', `Bearer ${this.#target.secret}`);
    return md;
  }

  /** Fetches the configuration; rejects after `timeoutMs`. */
  getConfig(timeoutMs = 5_000): Promise<RemoteConfiguration> {
    return new Promise((resolve, reject) => {
      this.#client.GetConfig(
        {},
        this.#metadata(),
        { deadline: Date.now() + timeoutMs },
        (err, value) =>
          err || !value ? reject(err ?? new Error('empty response')) : resolve(value),
      );
    });
  }

  /** Opens the watch stream. */
  watch(): grpc.ClientReadableStream<WatchEvent> {
    return this.#client.Watch({}, this.#metadata());
  }

  /** Reports per-environment status and the tokens used since the previous report. */
  reportStatus(
    report: {
      environments: EnvironmentStatusReport[];
      configVersion: string;
      httpPort: number;
      grpcPort: number;
      tokenUsage: TokenUse[];
      /** When this process started (Unix ms). */
      startedAtMs: number;
    },
    timeoutMs = 5_000,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#client.ReportStatus(
        report,
        this.#metadata(),
        { deadline: Date.now() + timeoutMs },
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }

  close(): void {
    this.#client.close();
  }
}
