/**
 * Timing of sync attempts. Polls are jittered (±20 %) so a fleet of instances does not hit the
 * git host in lockstep; consecutive failures back off exponentially from the poll interval up to
 * a cap, so a broken remote sees at most one fetch per poll interval per environment.
 */

/** `ms` spread uniformly by ±`fraction` (0.2 → 80 %..120 %). */
export function jitter(ms: number, fraction = 0.2): number {
  return Math.max(0, Math.round(ms * (1 - fraction + Math.random() * 2 * fraction)));
}

/** Delay before the next attempt after `failures` consecutive failures (0 = healthy). */
export function nextDelay(pollIntervalMs: number, failures: number, maxBackoffMs: number): number {
  if (failures <= 0) return jitter(pollIntervalMs);
  const base = Math.min(pollIntervalMs * 2 ** (failures - 1), Math.max(maxBackoffMs, pollIntervalMs));
  // Never below the poll interval, even with jitter: the cap on fetch rate is a promise (F1).
  return Math.max(pollIntervalMs, jitter(base));
}
