/**
 * Ships the evaluation counts to the control plane every interval (default 5 s) over
 * InstanceService.ReportUsage, each batch under an id `<instance>:<process start>:<sequence>`.
 *
 * Invariants (exactly-once counting across failures):
 * - A batch that was sent once keeps its id and its content until acknowledged: its outcome is
 *   unknown after a failure (the control plane may have applied it and the answer been lost),
 *   so it is resent as it is and the control plane's unique batch id makes the repeat a no-op.
 *   Counts are never merged into a batch that was sent.
 * - New counts merge into the newest batch that was never sent, so the queue holds at most the
 *   batch being retried, one being sent and one collecting: memory stays bounded during an
 *   outage (and by `maxEntries` distinct (minute, key) rows; beyond that counts are dropped and
 *   logged).
 * - Batches go out oldest first, one at a time. A graceful stop flushes; a crash loses what was
 *   counted since the last flush: at most one interval.
 */
import type { Logger } from '../logger.js';
import type { UsageCount } from '@switchyard/contracts';
import type { UsageCounter } from '../metrics/usage-counter.js';
import type { ControlPlaneClient } from './control-plane-client.js';

/** Default bound of distinct (minute, environment, namespace, flag, value, reason) rows pending. */
export const MAX_PENDING_ENTRIES = 50_000;

interface PendingBatch {
  id: string;
  counts: Map<string, UsageCount & { count: number; lastAtMs: number }>;
  sent: boolean;
}

/** Options of {@link UsageReporter}. */
export interface UsageReporterOptions {
  instanceId: string;
  /** Distinguishes this process's sequence from a previous process's (restart). */
  startedAtMs: number;
  intervalMs: number;
  maxEntries?: number;
  now?: () => number;
}

/** Periodic, retried, idempotent shipping of {@link UsageCounter} drains. */
export class UsageReporter {
  readonly #queue: PendingBatch[] = [];
  #seq = 0;
  #sending: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Evaluations dropped because the pending batch was full (control plane down for long). */
  dropped = 0;

  constructor(
    private readonly client: Pick<ControlPlaneClient, 'reportUsage'>,
    private readonly counter: UsageCounter,
    private readonly logger: Logger,
    private readonly opts: UsageReporterOptions,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.flush(), this.opts.intervalMs).unref();
  }

  /** Batches not yet acknowledged (for tests and diagnostics). */
  get pending(): number {
    return this.#queue.length;
  }

  /** Collects the counters into the pending batch, then sends what is pending, oldest first. */
  flush(): Promise<void> {
    this.#collect();
    this.#sending ??= this.#send().finally(() => (this.#sending = undefined));
    return this.#sending;
  }

  /** Stops the timer and makes one last attempt to deliver everything counted so far. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#sending;
    await this.flush();
  }

  #collect(): void {
    const cells = this.counter.drain();
    if (cells.length === 0) return;
    const now = (this.opts.now ?? Date.now)();
    const minuteMs = now - (now % 60_000);
    let batch = this.#queue.at(-1);
    if (!batch || batch.sent) {
      batch = {
        id: `${this.opts.instanceId}:${this.opts.startedAtMs}:${++this.#seq}`,
        counts: new Map(),
        sent: false,
      };
      this.#queue.push(batch);
    }
    const max = this.opts.maxEntries ?? MAX_PENDING_ENTRIES;
    let dropped = 0;
    for (const c of cells) {
      const key = `${minuteMs}\0${c.environment}\0${c.namespace}\0${c.flag}\0${c.value}\0${c.reason}`;
      const row = batch.counts.get(key);
      if (row) {
        row.count += c.n;
        row.lastAtMs = now;
      } else if (batch.counts.size >= max) dropped += c.n;
      else
        batch.counts.set(key, {
          environmentKey: c.environment,
          namespaceKey: c.namespace,
          flagKey: c.flag,
          value: c.value,
          reason: c.reason,
          minuteMs,
          count: c.n,
          lastAtMs: now,
        });
    }
    if (dropped > 0) {
      this.dropped += dropped;
      this.logger.warn(
        { dropped, total: this.dropped },
        'usage batch full; evaluations not counted',
      );
    }
  }

  async #send(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue[0]!;
      batch.sent = true;
      try {
        await this.client.reportUsage({ batchId: batch.id, counts: [...batch.counts.values()] });
      } catch (e) {
        this.logger.debug({ err: e, batch: batch.id }, 'usage report failed; will resend');
        return;
      }
      this.#queue.shift();
    }
  }
}
