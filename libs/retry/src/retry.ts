/**
 * Retry of one asynchronous call: a bounded number of attempts, a predicate for the errors worth
 * retrying, an optional backoff between attempts and an abort signal that ends the wait at once.
 * The last error is rethrown unchanged, so callers keep mapping errors exactly as before.
 */
import { backoffDelay, type BackoffPolicy, type RandomSource } from './backoff.js';
import { sleep as realSleep, type Sleep } from './sleep.js';

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Attempts in all, the first included (`Infinity`: until success, abort or a final error). */
  readonly maxAttempts: number;
  /** Delays between attempts; absent: retry at once (compare-and-swap races, serialization failures). */
  readonly backoff?: BackoffPolicy;
  /** Whether `error` from attempt `attempt` (1-based) is worth another attempt; default every error. */
  readonly retryIf?: (error: unknown, attempt: number) => boolean;
  /** Aborting stops the retries: a pending wait rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called before each wait, e.g. to log; `delayMs` is 0 without a backoff. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Test seams: the wait and the jitter's random source. */
  readonly sleep?: Sleep;
  readonly random?: RandomSource;
}

/**
 * Calls `fn(attempt)` until it resolves, and returns its value. Stops with the error when the
 * attempts are used up, `retryIf` declines it, or `signal` aborted (then with the signal's reason
 * if the abort came during a wait).
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const { maxAttempts, backoff, retryIf, signal, onRetry } = options;
  const wait = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt >= maxAttempts || signal?.aborted || (retryIf && !retryIf(e, attempt))) throw e;
      const delayMs = backoff ? backoffDelay(backoff, attempt, options.random) : 0;
      onRetry?.(e, attempt, delayMs);
      // No backoff: retry in the same turn, as a plain loop would (no timer, no reordering).
      if (delayMs > 0) await wait(delayMs, signal);
    }
  }
}
