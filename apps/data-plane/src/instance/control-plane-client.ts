/**
 * Client of the control plane's internal InstanceService (switchyard.controlplane.v1), typed with
 * the contract generated in @switchyard/contracts and loaded through its one loader.
 */
import * as grpc from '@grpc/grpc-js';
import {
  instanceContract,
  type InstanceConfiguration__Output,
  type InstanceServiceClient,
  type StatusReport,
  type UsageBatch,
  type WatchEvent__Output,
} from '@switchyard/contracts';

/** Where and as whom to call the control plane. */
export interface ControlPlaneTarget {
  /** `grpc://host:port` (plaintext) or `grpcs://host:port` (TLS). */
  url: string;
  instanceId: string;
  secret: string;
}

/** A promise-based wrapper around the generated client. */
export class ControlPlaneClient {
  readonly #client: InstanceServiceClient;
  readonly #target: ControlPlaneTarget;

  constructor(target: ControlPlaneTarget) {
    const url = new URL(target.url);
    if (url.protocol !== 'grpc:' && url.protocol !== 'grpcs:')
      throw new Error(`control plane URL must be grpc:// or grpcs://, got ${target.url}`);
    const creds =
      url.protocol === 'grpcs:' ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
    this.#client = new (instanceContract().InstanceService)(url.host, creds, {
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
    });
    this.#target = target;
  }

  #metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    md.set('x-switchyard-instance-id', this.#target.instanceId);
    md.set('authorization', `Bearer ${this.#target.secret}`);
    return md;
  }

  /** Fetches the configuration; rejects after `timeoutMs`. */
  getConfig(timeoutMs = 5_000): Promise<InstanceConfiguration__Output> {
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
  watch(): grpc.ClientReadableStream<WatchEvent__Output> {
    return this.#client.Watch({}, this.#metadata());
  }

  /** Reports per-environment status and the tokens used since the previous report. */
  reportStatus(report: StatusReport, timeoutMs = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#client.ReportStatus(
        report,
        this.#metadata(),
        { deadline: Date.now() + timeoutMs },
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }

  /** Sends one batch of evaluation counts (idempotent per batch id on the control plane). */
  reportUsage(batch: UsageBatch, timeoutMs = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#client.ReportUsage(
        batch,
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
