/**
 * Reports the instance's per-environment revision, last sync error and the served revision's
 * warnings, and the client tokens used
 * since the previous report, to the control plane: periodically (a heartbeat the control plane uses to judge liveness) and shortly after a change.
 * Failures are logged at debug: the control plane may be down and serving must not care.
 */
import type { Logger } from '../logger.js';
import type { DataPlane } from '../server.js';
import type { SyncError } from '../state/environment-registry.js';
import type { EnvironmentStatus, SyncError as SyncErrorMessage } from '@switchyard/contracts';
import type { ControlPlaneClient } from './control-plane-client.js';
import { snapshotWarnings } from './environment-warnings.js';

/** When this process started: the control plane counts a change between reports as a restart. */
const STARTED_AT_MS = Date.now() - Math.round(process.uptime() * 1000);

function errorReport(e: SyncError): SyncErrorMessage {
  return {
    message: e.message,
    revision: e.revision ?? '',
    file: e.file ?? '',
    line: e.line ?? 0,
    column: e.column ?? 0,
    atMs: e.at,
  };
}

function describeError(e: {
  message: string;
  file?: string | undefined;
  line?: number | undefined;
  revision?: string | undefined;
}): string {
  const where = e.file ? ` (${e.file}${e.line ? `:${e.line}` : ''})` : '';
  return `${e.message}${where}${e.revision ? ` at ${e.revision.slice(0, 12)}` : ''}`;
}

/** Heartbeat plus change-triggered status reports. */
export class StatusReporter {
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly client: ControlPlaneClient,
    private readonly dp: DataPlane,
    private readonly version: () => string,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.report(), this.intervalMs).unref();
    this.#unsubscribe = this.dp.registry.onChange(() => this.soon());
    this.dp.activity.onResume = () => this.soon();
    this.soon();
  }

  /** Reports within ~50 ms, coalescing bursts of changes. */
  soon(): void {
    this.#soon ??= setTimeout(() => {
      this.#soon = undefined;
      void this.report();
    }, 50).unref();
  }

  async snapshot(): Promise<EnvironmentStatus[]> {
    const registry = this.dp.registry;
    const statuses = registry.keys().map(async (key) => {
      const s = registry.state(key);
      return {
        key,
        revision: s?.snapshot?.revision ?? '',
        ready: Boolean(s?.snapshot),
        lastError: s?.lastError ? describeError(s.lastError) : '',
        lastSyncAtMs: s?.lastSyncAt ?? 0,
        error: s?.lastError ? errorReport(s.lastError) : undefined,
        warnings: await snapshotWarnings(s?.snapshot, s?.files),
      };
    });
    return Promise.all(statuses);
  }

  async report(): Promise<void> {
    // Token uses ride on the heartbeat: the hot path only marked them (see TokenUsage).
    const tokenUsage = this.dp.tokens.drainUsage();
    try {
      await this.client.reportStatus({
        environments: await this.snapshot(),
        configVersion: this.version(),
        httpPort: this.dp.httpPort,
        grpcPort: this.dp.grpcPort,
        tokenUsage,
        startedAtMs: STARTED_AT_MS,
        lastActiveAtMs: this.dp.activity.lastActiveAt(this.dp.inFlight()),
      });
    } catch (e) {
      this.dp.tokens.restoreUsage(tokenUsage);
      this.logger.debug({ err: e }, 'status report failed');
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#soon) clearTimeout(this.#soon);
    this.#unsubscribe?.();
    this.dp.activity.onResume = undefined;
  }
}
