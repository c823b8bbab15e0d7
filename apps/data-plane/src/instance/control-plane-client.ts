/**
 * Client of the control plane's internal InstanceService (switchyard.controlplane.v1), typed with
 * the contract generated in @switchyard/contracts. It speaks gRPC through grpc-h2.ts and encodes
 * messages with proto-wire.ts rather than through @grpc/grpc-js and the contract's loader: every
 * organisation runs an instance, and those two are most of an idle instance's memory.
 */
import type {
  InstanceConfiguration__Output,
  StatusReport,
  UsageBatch,
  WatchEvent__Output,
} from '@switchyard/contracts';
import { GrpcH2Channel, type ServerStream } from './grpc-h2.js';
import {
  decodeInstanceConfiguration,
  decodeWatchEvent,
  encodeStatusReport,
  encodeUsageBatch,
} from './proto-wire.js';

const SERVICE = '/switchyard.controlplane.v1.InstanceService';
const EMPTY = new Uint8Array(0);

/** Where and as whom to call the control plane. */
export interface ControlPlaneTarget {
  /** `grpc://host:port` (plaintext) or `grpcs://host:port` (TLS). */
  url: string;
  instanceId: string;
  secret: string;
}

/** A promise-based client of InstanceService. */
export class ControlPlaneClient {
  readonly #channel: GrpcH2Channel;
  readonly #metadata: Record<string, string>;

  constructor(target: ControlPlaneTarget) {
    const url = new URL(target.url);
    if (url.protocol !== 'grpc:' && url.protocol !== 'grpcs:')
      throw new Error(`control plane URL must be grpc:// or grpcs://, got ${target.url}`);
    this.#channel = new GrpcH2Channel(
      `${url.protocol === 'grpcs:' ? 'https' : 'http'}://${url.host}`,
      { keepaliveMs: 30_000, keepaliveTimeoutMs: 10_000 },
    );
    this.#metadata = {
      'x-switchyard-instance-id': target.instanceId,
      authorization: `Bearer ${target.secret}`,
    };
  }

  /** Fetches the configuration; rejects after `timeoutMs`. */
  async getConfig(timeoutMs = 5_000): Promise<InstanceConfiguration__Output> {
    const m = await this.#channel.unary(`${SERVICE}/GetConfig`, EMPTY, this.#metadata, timeoutMs);
    return decodeInstanceConfiguration(m);
  }

  /** Opens the watch stream. */
  watch(): ServerStream<WatchEvent__Output> {
    return this.#channel.serverStream(`${SERVICE}/Watch`, EMPTY, this.#metadata, decodeWatchEvent);
  }

  /** Reports per-environment status and the tokens used since the previous report. */
  async reportStatus(report: StatusReport, timeoutMs = 5_000): Promise<void> {
    await this.#channel.unary(
      `${SERVICE}/ReportStatus`,
      encodeStatusReport(report),
      this.#metadata,
      timeoutMs,
    );
  }

  /** Sends one batch of evaluation counts (idempotent per batch id on the control plane). */
  async reportUsage(batch: UsageBatch, timeoutMs = 5_000): Promise<void> {
    await this.#channel.unary(
      `${SERVICE}/ReportUsage`,
      encodeUsageBatch(batch),
      this.#metadata,
      timeoutMs,
    );
  }

  close(): void {
    this.#channel.close();
  }
}
