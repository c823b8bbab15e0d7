/**
 * Prometheus metrics of the data plane. One registry per process, shared with the sync engine
 * (sync age and failures are added to the same registry). Series use the Map-based metrics of
 * hot-metrics.ts; prom-client renders them, loaded on the first scrape (metric-registry.ts).
 */
import { HotCounter, HotGauge, HotHistogram } from './hot-metrics.js';
import { MetricRegistry } from './metric-registry.js';

/** Above this many distinct flag labels per process, new flags are counted as `__other__`. */
export const FLAG_LABEL_CAP = 1000;

/** The data plane's metrics and the registry that exposes them. */
export class DataPlaneMetrics {
  readonly registry: MetricRegistry;
  readonly #evaluations: HotCounter;
  readonly #latency: HotHistogram;
  readonly #revision: HotGauge;
  readonly #flags = new Set<string>();
  readonly #revisions = new Map<string, string>();

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    this.registry = new MetricRegistry({ defaultMetrics: opts.defaultMetrics !== false });
    this.#evaluations = new HotCounter(
      this.registry,
      'switchyard_evaluations_total',
      'Flag evaluations by environment, namespace, flag and reason',
      ['environment', 'namespace', 'flag', 'reason'],
    );
    this.#latency = new HotHistogram(
      this.registry,
      'switchyard_request_duration_seconds',
      'Request latency by transport and route',
      ['transport', 'route', 'status'],
      [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2],
    );
    this.#revision = new HotGauge(
      this.registry,
      'switchyard_snapshot_revision_info',
      'Revision currently served per environment (value 1)',
      ['environment', 'revision'],
    );
  }

  /** Counts one evaluation; the flag label is capped to bound cardinality. */
  evaluation(environment: string, namespace: string, flag: string, reason: string): void {
    if (!this.#flags.has(flag)) {
      if (this.#flags.size >= FLAG_LABEL_CAP) flag = '__other__';
      else this.#flags.add(flag);
    }
    this.#evaluations.inc([environment, namespace, flag, reason]);
  }

  /** Records the latency of one request. */
  request(transport: string, route: string, status: number | string, seconds: number): void {
    this.#latency.observe(
      [transport, route, typeof status === 'number' ? statusText(status) : status],
      seconds,
    );
  }

  /** Marks `revision` as the one served for `environment`. */
  revision(environment: string, revision: string): void {
    const prev = this.#revisions.get(environment);
    if (prev === revision) return;
    if (prev !== undefined) this.#revision.remove([environment, prev]);
    this.#revision.set([environment, revision], 1);
    this.#revisions.set(environment, revision);
  }
}

const STATUS_TEXT = new Map<number, string>();
/** Cached decimal text of a status code (no string allocation per request). */
function statusText(status: number): string {
  let text = STATUS_TEXT.get(status);
  if (text === undefined) {
    text = String(status);
    STATUS_TEXT.set(status, text);
  }
  return text;
}
