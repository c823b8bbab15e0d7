/**
 * The data plane's metrics registry. Metrics count into hot-metrics.ts cells from the start;
 * prom-client (about 5 MB resident once loaded, with the process metrics it samples) is imported
 * on the first scrape of /metrics, which registers every metric with it. Process metrics
 * (`collectDefaultMetrics`) therefore start at the first scrape: the counters among them (CPU,
 * GC) are totals since process start anyway; the event-loop lag histogram covers the time since.
 */
import type * as PromClientModule from 'prom-client';
import type { Registry } from 'prom-client';

type PromClient = typeof PromClientModule;

/** A metric in prom-client's custom-metric shape (what `Registry.registerMetric` accepts). */
export interface CustomMetric {
  name: string;
  help: string;
  type: string;
  get(): { values: ReadonlyArray<{ labels: Record<string, string>; value: number }> } & object;
  reset(): void;
}

/** prom-client's text exposition format, before prom-client is loaded. */
const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Metrics by name, handed to a prom-client Registry on the first scrape. */
export class MetricRegistry {
  readonly #metrics = new Map<string, CustomMetric>();
  #registry: Promise<Registry> | undefined;
  #loaded: Registry | undefined;

  /** `defaultMetrics`: also export prom-client's process metrics (from the first scrape). */
  constructor(private readonly opts: { defaultMetrics?: boolean } = {}) {}

  /** Registers `metric` under its name; a second metric of the same name is an error. */
  register(metric: CustomMetric): void {
    if (this.#metrics.has(metric.name))
      throw new Error(`A metric with the name ${metric.name} has already been registered.`);
    this.#metrics.set(metric.name, metric);
    this.#loaded?.registerMetric(metric as never);
  }

  /** The metric named `name`, if registered. */
  getSingleMetric(name: string): CustomMetric | undefined {
    return this.#metrics.get(name);
  }

  /** Content type of {@link metrics}. */
  get contentType(): string {
    return this.#loaded?.contentType ?? PROMETHEUS_CONTENT_TYPE;
  }

  /** Every metric in Prometheus text format (loads prom-client the first time). */
  async metrics(): Promise<string> {
    this.#registry ??= import('prom-client').then((mod: PromClient | { default: PromClient }) => {
      // In the bundle, prom-client (CommonJS) is a split chunk whose only export is `default`.
      const { Registry, collectDefaultMetrics } = 'Registry' in mod ? mod : mod.default;
      const registry = new Registry();
      if (this.opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
      for (const m of this.#metrics.values()) registry.registerMetric(m as never);
      this.#loaded = registry;
      return registry;
    });
    return (await this.#registry).metrics();
  }
}
