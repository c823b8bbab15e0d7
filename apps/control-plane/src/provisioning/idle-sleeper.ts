/**
 * Puts idle instances to sleep: every check, each awake instance whose last served request (as it
 * reported, `lastActiveAt`) is older than INSTANCE_IDLE_SLEEP is stopped through the provisioner
 * (status `sleeping` first, then, after a grace for the edges to notice, the driver). Checks run at a quarter of the idle time (at least
 * every 30 s, at most every 200 ms), so an instance sleeps within 1.25 × the idle time plus one
 * status report interval. Disabled when the idle time is 0.
 */
import type { Database } from '@switchyard/db';
import type { Logger } from 'pino';
import type { Provisioner } from './provisioner.js';

/** Check period for an idle time. */
export function sleepCheckMs(idleMs: number): number {
  return Math.min(30_000, Math.max(200, Math.floor(idleMs / 4)));
}

/** Periodic idle check. */
export class IdleSleeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly provisioner: Provisioner,
    private readonly logger: Logger,
    private readonly idleMs: number,
  ) {}

  start(): void {
    if (this.idleMs <= 0) return;
    this.#timer = setInterval(() => {
      // One pass at a time: a slow driver must not pile passes up.
      this.#running ??= this.runOnce()
        .then(() => undefined)
        .catch((e: unknown) => this.logger.warn({ err: e }, 'idle check failed'))
        .finally(() => (this.#running = undefined));
    }, sleepCheckMs(this.idleMs));
    this.#timer.unref();
  }

  /** Puts every instance idle since before now − idle time to sleep; returns how many slept. */
  async runOnce(now = Date.now()): Promise<number> {
    const idleSince = new Date(now - this.idleMs);
    const idle = await this.db.instance.findMany({
      where: { status: { in: ['ready', 'degraded'] }, lastActiveAt: { lt: idleSince } },
      select: { orgId: true },
    });
    // Side by side: each waits out the sleep grace (organisations are independent).
    const results = await Promise.all(
      idle.map(({ orgId }) =>
        this.provisioner.sleepIfIdle(orgId, idleSince).catch((e: unknown) => {
          this.logger.warn({ err: e, org: orgId }, 'could not put an idle instance to sleep');
          return false;
        }),
      ),
    );
    return results.filter(Boolean).length;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }
}
