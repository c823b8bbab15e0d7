/**
 * Allocation-free counters and histograms for the evaluation hot path. prom-client hashes the
 * label set on every `inc`/`observe` (about 0.5 µs each); these keep one cell per label
 * combination in nested Maps and render Prometheus values only when /metrics is scraped.
 * They register into a prom-client Registry as custom metrics, next to regular ones.
 */
import type { Registry } from 'prom-client';

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
    let entry = node.get(values[this.depth - 1]!) as Entry<C> | undefined;
    if (entry === undefined) {
      entry = { values: [...values], cell: this.make() };
      node.set(values[this.depth - 1]!, entry);
      this.#entries.push(entry);
    }
    this.#last = entry;
    return entry.cell;
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

/** A monotonic counter with labels. */
export class HotCounter {
  readonly #tree: LabelTree<{ value: number }>;

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
  ) {
    this.#tree = new LabelTree(labelNames.length, () => ({ value: 0 }));
    registry.registerMetric(this.#metric() as never);
  }

  /** Adds one to the series of `values` (one value per label name, in order). */
  inc(values: readonly string[]): void {
    this.#tree.cell(values).value++;
  }

  #metric() {
    const { name, help } = this;
    return {
      name,
      help,
      type: 'counter',
      get: () => ({
        name,
        help,
        type: 'counter',
        aggregator: 'sum',
        values: this.#tree.entries().map(({ values, cell }): Rendered => ({
          labels: labelsOf(this.labelNames, values),
          value: cell.value,
        })),
      }),
      reset: () => undefined,
    };
  }
}

/** A histogram with labels (cumulative buckets rendered at scrape time). */
export class HotHistogram {
  readonly #tree: LabelTree<{ counts: Float64Array; sum: number; count: number }>;

  constructor(
    registry: Registry,
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
    registry.registerMetric(this.#metric() as never);
  }

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

  #metric() {
    const { name, help } = this;
    return {
      name,
      help,
      type: 'histogram',
      get: () => ({ name, help, type: 'histogram', aggregator: 'sum', values: this.#render() }),
      reset: () => undefined,
    };
  }
}
