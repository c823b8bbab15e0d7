/**
 * Records client tokens' `lastUsedAt` from instances' status reports. Instances only mark uses
 * in memory and report them every few seconds; here each token is written at most once per
 * throttle window (default a minute): an in-memory check skips most reports without a query, and
 * the update's own condition (`lastUsedAt` older than the window) keeps replicas of the control
 * plane from writing more often. Every update is scoped to the reporting instance's organisation,
 * so an instance naming another organisation's token ids changes nothing.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { TokenUse } from '@switchyard/contracts';
import type { Database } from '@switchyard/db';
import { DB } from '../common/tokens.js';

/** Default minimum time between two writes of one token's `lastUsedAt`. */
export const LAST_USED_THROTTLE_MS = 60_000;
/** Most uses taken from one report (an instance serves at most its organisation's tokens). */
const MAX_USES_PER_REPORT = 1_000;
/** Bound of the in-memory throttle map; cleared whole when reached (the DB condition still throttles). */
const MAX_REMEMBERED = 100_000;
const TOKEN_ID = /^[0-9a-f-]{36}$/;

/** Writes reported token uses, throttled and scoped to the instance's organisation. */
@Injectable()
export class TokenUsageRecorder {
  readonly #written = new Map<string, number>();
  throttleMs = LAST_USED_THROTTLE_MS;

  constructor(@Inject(DB) private readonly db: Database) {}

  /** Applies `uses` reported by an instance of `orgId` at `now`; resolves with the number of tokens updated. */
  async record(
    orgId: string,
    uses: readonly TokenUse[] | undefined,
    now = Date.now(),
  ): Promise<number> {
    let updated = 0;
    for (const use of (uses ?? []).slice(0, MAX_USES_PER_REPORT)) {
      const at = Math.min(Number(use.lastUsedAtMs), now);
      // A use the instance cannot have seen (garbage, or before this window) is ignored.
      if (!use.tokenId || !TOKEN_ID.test(use.tokenId) || !Number.isFinite(at) || at <= 0) continue;
      // Keyed by organisation too: another organisation's instance must not throttle this one's.
      const key = `${orgId}/${use.tokenId}`;
      const last = this.#written.get(key);
      if (last !== undefined && at - last < this.throttleMs) continue;
      if (this.#written.size >= MAX_REMEMBERED) this.#written.clear();
      // Remembered before the write, whether or not a row changes: a foreign or throttled id costs
      // one query a window, and a report that overlaps this one (an instance re-sends uses when a
      // big report outlives its deadline; measured by scripts/bench/l8-token-auth.mjs) skips the
      // token instead of querying it again. A failed write forgets it, so the next report retries.
      this.#written.set(key, at);
      let res: { count: number };
      try {
        res = await this.db.clientToken.updateMany({
          where: {
            id: use.tokenId,
            orgId,
            OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: new Date(at - this.throttleMs) } }],
          },
          data: { lastUsedAt: new Date(at) },
        });
      } catch (e) {
        if (this.#written.get(key) === at) {
          if (last === undefined) this.#written.delete(key);
          else this.#written.set(key, last);
        }
        throw e;
      }
      updated += res.count;
    }
    return updated;
  }
}
