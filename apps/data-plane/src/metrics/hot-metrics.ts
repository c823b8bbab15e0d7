/**
 * Allocation-free counters, gauges and histograms. prom-client hashes the label set on every
 * `inc`/`observe` (about 0.5 µs each); these keep one cell per label combination in nested Maps
 * and render Prometheus values only when /metrics is scraped. They register into a
 * {@link MetricRegistry}, which hands them to prom-client (as custom metrics) on the first scrape:
 * an instance that is never scraped never loads prom-client.
 */
import type { MetricRegistry } from './metric-registry.js';

type Labels = Record<string, string>;
interface Rendered {
  metricName?: string;
  labels: Labels;
  value: number;
}

/** One label combination and its cell. */
interface Entry<C> {
  values: string[];
  cell: C;
}

/**
 * A tree of Maps keyed by label values, with one leaf per combination. The last combination used
 * is remembered: consecutive calls for the same series (one route's requests, one hot flag's
 * evaluations) cost a few string comparisons instead of one Map lookup per label.
 */
class LabelTree<C> {
  readonly #root = new Map<string, unknown>();
  readonly #entries: Array<Entry<C>> = [];
  #last: Entry<C> | undefined;

  constructor(
    private readonly depth: number,
    private readonly make: () => C,
  ) {}

  /** The cell for `values` (length = depth), created on first use. */
  cell(values: readonly string[]): C {
    const last = this.#last;
    if (last !== undefined && sameValues(last.values, values)) return last.cell;
    let node = this.#root;
    for (let i = 0; i < this.depth - 1; i++) {
      let next = node.get(values[i]!) as Map<string, unknown> | undefined;
      if (!next) {
        next = new Map();
        node.set(values[i]!, next);
      }
      node = next;
    }
    // A metric without labels has one cell, under the empty key.
    const leaf = this.depth > 0 ? values[this.depth - 1]! : '';
    let entry = node.get(leaf) as Entry<C> | undefined;
    if (entry === undefined) {
      entry = { values: [...values], cell: this.make() };
      node.set(leaf, entry);
      this.#entries.push(entry);
    }
    this.#last = entry;
    return entry.cell;
  }

  /** Removes the series of `values`, if any (rare: a linear scan). */
  delete(values: readonly string[]): void {
    const at = this.#entries.findIndex((e) => sameValues(e.values, values));
    if (at < 0) return;
    const entry = this.#entries.splice(at, 1)[0]!;
    if (this.#last === entry) this.#last = undefined;
    let node = this.#root;
    for (let i = 0; i < this.depth - 1; i++) node = node.get(values[i]!) as Map<string, unknown>;
    const leaf = this.depth > 0 ? values[this.depth - 1]! : '';
    if (node.get(leaf) === entry) node.delete(leaf);
  }

  /** Every cell with its label values. */
  entries(): ReadonlyArray<Entry<C>> {
    return this.#entries;
  }
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function labelsOf(names: readonly string[], values: readonly string[]): Labels {
  const out: Labels = {};
  names.forEach((n, i) => (out[n] = values[i]!));
  return out;
}

/** A metric with one number per series (counters and gauges share how they store and render). */
abstract class ValueMetric {
  protected readonly tree: LabelTree<{ value: number }>;
  abstract readonly type: 'counter' | 'gauge';

  constructor(
    registry: MetricRegistry,
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
  ) {
    this.tree = new LabelTree(labelNames.length, () => ({ value: 0 }));
    registry.register(this);
  }

  /** The series, as prom-client renders a metric. */
  get() {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: 'sum',
      values: this.tree.entries().map(({ values, cell }): Rendered => ({
        labels: labelsOf(this.labelNames, values),
        value: cell.value,
      })),
    };
  }

  reset(): void {}
}

/** A monotonic counter with labels. */
export class HotCounter extends ValueMetric {
  readonly type = 'counter';

  /** Adds one to the series of `values` (one value per label name, in order). */
  inc(values: readonly string[]): void {
    this.tree.cell(values).value++;
  }
}

/** A histogram with labels (cumulative buckets rendered at scrape time). */
export class HotHistogram {
  readonly #tree: LabelTree<{ counts: Float64Array; sum: number; count: number }>;

  constructor(
    registry: MetricRegistry,
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly buckets: readonly number[],
  ) {
    this.#tree = new LabelTree(labelNames.length, () => ({
      counts: new Float64Array(buckets.length),
      sum: 0,
      count: 0,
    }));
    registry.register(this);
  }

  readonly type = 'histogram';

  /** Records `value` for the series of `values`. */
  observe(values: readonly string[], value: number): void {
    const cell = this.#tree.cell(values);
    const b = this.buckets;
    for (let i = 0; i < b.length; i++)
      if (value <= b[i]!) {
        cell.counts[i]!++;
        break;
      }
    cell.sum += value;
    cell.count++;
  }

  #render(): Rendered[] {
    const out: Rendered[] = [];
    for (const { values, cell } of this.#tree.entries()) {
      const labels = labelsOf(this.labelNames, values);
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += cell.counts[i]!;
        out.push({
          metricName: `${this.name}_bucket`,
          labels: { ...labels, le: String(le) },
          value: cumulative,
        });
      });
      out.push({
        metricName: `${this.name}_bucket`,
        labels: { ...labels, le: '+Inf' },
        value: cell.count,
      });
      out.push({ metricName: `${this.name}_sum`, labels, value: cell.sum });
      out.push({ metricName: `${this.name}_count`, labels, value: cell.count });
    }
    return out;
  }

  /** The series, as prom-client renders a metric. */
  get() {
    const { name, help, type } = this;
    return { name, help, type, aggregator: 'sum', values: this.#render() };
  }

  reset(): void {}
}

/** A gauge with labels; a series can be removed (a revision no longer served). */
export class HotGauge extends ValueMetric {
  readonly type = 'gauge';

  /** Sets the series of `values` to `value`. */
  set(values: readonly string[], value: number): void {
    this.tree.cell(values).value = value;
  }

  /** Drops the series of `values`. */
  remove(values: readonly string[]): void {
    this.tree.delete(values);
  }
}
