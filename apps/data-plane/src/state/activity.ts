/**
 * When the instance last served a request, for idle sleep (the worker stops an instance that
 * served nothing for INSTANCE_IDLE_SLEEP). The hot path stores one number per request: no
 * allocation, no I/O. Only SDK routes count (not /health, /ready, /metrics), so the provisioner's
 * health checks, load balancers' probes and Prometheus scrapes never keep an idle instance awake.
 */
/** Quiet time after which a request counts as use resuming. */
export const QUIET_MS = 1_000;

/** The last-served-request clock of one instance. */
export class Activity {
  #lastMs: number;
  /**
   * Called by the first request after at least {@link QUIET_MS} without one (the status reporter
   * reports soon), so the control plane hears of renewed use long before the next heartbeat and
   * does not put an instance to sleep that has just started serving again.
   */
  onResume: (() => void) | undefined;

  /** Starts the idle clock at `startedAtMs` (an instance that has served nothing is idle since then). */
  constructor(startedAtMs: number) {
    this.#lastMs = startedAtMs;
  }

  /** Records that a request is being served now. */
  mark(): void {
    const now = Date.now();
    if (now - this.#lastMs >= QUIET_MS) this.onResume?.();
    this.#lastMs = now;
  }

  /**
   * Last activity in Unix ms; `now` while requests (long-lived streams included) are still in
   * progress, since a watched snapshot stream is use even when no new request arrives.
   */
  lastActiveAt(inFlight: number, now = Date.now()): number {
    return inFlight > 0 ? now : this.#lastMs;
  }
}
