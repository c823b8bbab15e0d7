/**
 * Evaluation counts per (environment, namespace, flag, value, reason) for the control plane's
 * insights. The hot path does five Map lookups and one increment: cells live in nested Maps keyed
 * by strings the request already holds (the flag key, the variant key and reason of the compiled
 * snapshot, the literals "true"/"false"), so an evaluation allocates nothing once its cell exists.
 * `drain()` runs every reporting interval off the hot path: it reads and zeroes the cells, and
 * drops the cells that stayed idle for a whole interval (a deleted flag's cell does not live on).
 *
 * Invariant: only evaluations of flags that exist in the snapshot are counted (unknown flags are
 * errors before counting, and batch error items are skipped), so a client cannot grow the tree
 * with made-up keys.
 */

/** One counted combination with its count since the last drain. */
export interface UsageCell {
  readonly environment: string;
  readonly namespace: string;
  readonly flag: string;
  readonly value: string;
  readonly reason: string;
  n: number;
}

type Level<T> = Map<string, T>;
type Tree = Level<Level<Level<Level<Level<UsageCell>>>>>;

function child<T>(level: Level<Level<T>>, key: string): Level<T> {
  let next = level.get(key);
  if (next === undefined) {
    next = new Map();
    level.set(key, next);
  }
  return next;
}

/** The reason level of a key's cells, created on first use. */
function reasons(
  root: Tree,
  env: string,
  ns: string,
  flag: string,
  value: string,
): Level<UsageCell> {
  return child(child(child(child(root, env), ns), flag), value);
}

/** In-memory evaluation counters, drained by the usage reporter. */
export class UsageCounter {
  #root: Tree = new Map();
  #cells: UsageCell[] = [];

  /** Counts one evaluation of `flag` in `namespace` of `environment` that served `value`. */
  count(environment: string, namespace: string, flag: string, value: string, reason: string): void {
    const byReason = reasons(this.#root, environment, namespace, flag, value);
    const cell = byReason.get(reason);
    if (cell !== undefined) {
      cell.n++;
      return;
    }
    const made: UsageCell = { environment, namespace, flag, value, reason, n: 1 };
    byReason.set(reason, made);
    this.#cells.push(made);
  }

  /**
   * The cells counted since the previous drain, as copies; the live cells are zeroed. Cells that
   * counted nothing since the previous drain are forgotten (their keys may no longer exist).
   */
  drain(): UsageCell[] {
    const out: UsageCell[] = [];
    const kept: UsageCell[] = [];
    for (const c of this.#cells) {
      if (c.n === 0) continue;
      out.push({ ...c });
      c.n = 0;
      kept.push(c);
    }
    if (kept.length < this.#cells.length) this.#rebuild(kept);
    return out;
  }

  /** Replaces the tree with one holding only `kept` (the idle cells' keys may be gone). */
  #rebuild(kept: UsageCell[]): void {
    this.#root = new Map();
    this.#cells = kept;
    for (const c of kept) {
      const byReason = reasons(this.#root, c.environment, c.namespace, c.flag, c.value);
      byReason.set(c.reason, c);
    }
  }
}
