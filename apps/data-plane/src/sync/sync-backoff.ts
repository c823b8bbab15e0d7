/**
 * Timing of sync attempts. Polls are jittered (±20 %) so a fleet of instances does not hit the
 * git host in lockstep; consecutive failures back off exponentially from the poll interval up to
 * a cap, so a broken remote sees at most one fetch per poll interval per environment.
 */
import { backoffDelay, jitter, type RandomSource } from '@switchyard/retry';

/** Delay before the next attempt after `failures` consecutive failures (0 = healthy). */
export function nextDelay(
  pollIntervalMs: number,
  failures: number,
  maxBackoffMs: number,
  random: RandomSource = Math.random,
): number {
  if (failures <= 0) return jitter(pollIntervalMs, 0.2, random);
  // Never below the poll interval, even with jitter: the fetch rate a remote sees is capped.
  const policy = {
    initialMs: pollIntervalMs,
    maxMs: Math.max(maxBackoffMs, pollIntervalMs),
    jitter: 0.2,
    minMs: pollIntervalMs,
  };
  return backoffDelay(policy, failures, random);
}
