/**
 * Prometheus metrics of the data plane. One registry per process, shared with the sync engineer
 * (sync age and failures are added to the same registry). Label children are cached so the hot
 * path does a Map lookup, not a label-hash per request.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Above this many distinct flag labels per process, new flags are counted as `__other__`. */
export const FLAG_LABEL_CAP = 1000;

type CounterChild = ReturnType<Counter['labels']>;
type HistogramChild = ReturnType<Histogram['labels']>;

/** The data plane's metrics and the registry that exposes them. */
export class DataPlaneMetrics {
  readonly registry = new Registry();
  readonly #evaluations: Counter;
  readonly #latency: Histogram;
  readonly #revision: Gauge;
  readonly #evalChildren = new Map<string, CounterChild>();
  readonly #latencyChildren = new Map<string, HistogramChild>();
  readonly #flags = new Set<string>();
  readonly #revisions = new Map<string, string>();

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.#evaluations = new Counter({
      name: 'switchyard_evaluations_total',
      help: 'Flag evaluations by environment, namespace, flag and reason',
      labelNames: ['environment', 'namespace', 'flag', 'reason'],
      registers: [this.registry],
    });
    this.#latency = new Histogram({
      name: 'switchyard_request_duration_seconds',
      help: 'Request latency by transport and route',
      labelNames: ['transport', 'route', 'status'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2],
      registers: [this.registry],
    });
    this.#revision = new Gauge({
      name: 'switchyard_snapshot_revision_info',
      help: 'Revision currently served per environment (value 1)',
      labelNames: ['environment', 'revision'],
      registers: [this.registry],
    });
  }

  /** Counts one evaluation; the flag label is capped to bound cardinality. */
  evaluation(environment: string, namespace: string, flag: string, reason: string): void {
    if (!this.#flags.has(flag)) {
      if (this.#flags.size >= FLAG_LABEL_CAP) flag = '__other__';
      else this.#flags.add(flag);
    }
    const key = `${environment}\u0000${namespace}\u0000${flag}\u0000${reason}`;
    let child = this.#evalChildren.get(key);
    if (!child) {
      child = this.#evaluations.labels(environment, namespace, flag, reason);
      this.#evalChildren.set(key, child);
    }
    child.inc();
  }

  /** Records the latency of one request. */
  request(transport: string, route: string, status: number | string, seconds: number): void {
    const key = `${transport}\u0000${route}\u0000${status}`;
    let child = this.#latencyChildren.get(key);
    if (!child) {
      child = this.#latency.labels(transport, route, String(status));
      this.#latencyChildren.set(key, child);
    }
    child.observe(seconds);
  }

  /** Marks `revision` as the one served for `environment`. */
  revision(environment: string, revision: string): void {
    const prev = this.#revisions.get(environment);
    if (prev === revision) return;
    if (prev !== undefined) this.#revision.remove(environment, prev);
    this.#revision.labels(environment, revision).set(1);
    this.#revisions.set(environment, revision);
  }
}
