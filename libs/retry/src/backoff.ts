/**
 * Capped exponential backoff with symmetric jitter. The jitter spreads a fleet of clients that
 * failed together (a control plane restart, a git host outage) so they do not retry in lockstep.
 * The cap bounds the exponential delay before jitter; `minMs` bounds the jittered delay from below.
 */

/** Uniform numbers in [0, 1): `Math.random` in production, a fixed sequence in tests. */
export type RandomSource = () => number;

/** How delays grow with consecutive failures. */
export interface BackoffPolicy {
  /** Delay before the first retry, in ms. */
  readonly initialMs: number;
  /** Cap of the exponential delay (before jitter), in ms. */
  readonly maxMs: number;
  /** Growth per failure; default 2. */
  readonly factor?: number;
  /** Spread of each delay: ± this fraction (0.2 → 80 %..120 %); default 0.2, 0 for exact delays. */
  readonly jitter?: number;
  /** Floor of the jittered delay, in ms; default 0. */
  readonly minMs?: number;
}

/** `ms` spread uniformly by ±`fraction` (0.2 → 80 %..120 %), rounded, never negative. */
export function jitter(ms: number, fraction: number, random: RandomSource = Math.random): number {
  if (fraction === 0) return Math.max(0, Math.round(ms));
  return Math.max(0, Math.round(ms * (1 - fraction + random() * 2 * fraction)));
}

/** Delay before retry number `failures` (1 = after the first failure) under `policy`. */
export function backoffDelay(
  policy: BackoffPolicy,
  failures: number,
  random: RandomSource = Math.random,
): number {
  const exponent = Math.max(0, failures - 1);
  const base = Math.min(policy.initialMs * (policy.factor ?? 2) ** exponent, policy.maxMs);
  return Math.max(policy.minMs ?? 0, jitter(base, policy.jitter ?? 0.2, random));
}

/**
 * The backoff state of one long-lived loop (a reconnecting stream, a supervised process): counts
 * consecutive failures, hands out the next delay, and resets when the loop is healthy again.
 */
export class Backoff {
  #failures = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: RandomSource = Math.random,
  ) {}

  /** Consecutive failures counted so far. */
  get failures(): number {
    return this.#failures;
  }

  /** Counts one more failure and returns the delay to wait before the next try. */
  next(): number {
    this.#failures += 1;
    return backoffDelay(this.policy, this.#failures, this.random);
  }

  /** The loop is healthy again: the next failure waits the initial delay. */
  reset(): void {
    this.#failures = 0;
  }

  /** For failures waiting will not fix (bad credentials): the next delays are at the cap. */
  saturate(): void {
    const { initialMs, maxMs, factor = 2 } = this.policy;
    const toCap =
      initialMs > 0 && maxMs > initialMs && factor > 1
        ? Math.ceil(Math.log(maxMs / initialMs) / Math.log(factor))
        : 0;
    this.#failures = Math.max(this.#failures, toCap);
  }
}
