/**
 * Health of one environment's sync as operators should see it (P5): a single failed poll is not
 * an incident. `degraded` only once the source has been failing for longer than the grace period
 * (or the served commit is known bad); `not-ready` while nothing was ever loaded.
 */
import type { EnvironmentState } from '../state/environment-registry.js';

/** Status of one environment's sync. */
export type SyncStatus = 'ok' | 'degraded' | 'not-ready';

/** Default grace before failures degrade health (LaunchDarkly uses one minute). */
export const DEFAULT_DEGRADED_AFTER_MS = 60_000;

/** Classifies `state` at time `now` (ms since epoch). */
export function syncStatus(
  state: EnvironmentState,
  now: number,
  graceMs = DEFAULT_DEGRADED_AFTER_MS,
): SyncStatus {
  if (!state.snapshot) return 'not-ready';
  const err = state.lastError;
  if (!err) return 'ok';
  // A bad commit is immediately visible: the served snapshot is not the branch head.
  if (err.revision !== undefined) return 'degraded';
  const lastGood = state.lastSyncAt ?? 0;
  return now - lastGood > graceMs ? 'degraded' : 'ok';
}
