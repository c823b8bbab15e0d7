import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { CONFIG, LOGGER } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';

/** Every budget is per one-minute window. */
export const RATE_LIMIT_WINDOW_MS = 60_000;
// A Redis that does not answer within this long is treated as down for this request.
const REDIS_TIMEOUT_MS = 500;
// How long boot waits for the first Redis connection before serving with local counters.
const CONNECT_WAIT_MS = 2_000;
// Local counters are swept when there are more than this many (an outage under a flood).
const LOCAL_SWEEP_AT = 10_000;

/** One counter a request is charged against, with its budget. */
export interface RateLimitCounter {
  /** What the counter is keyed by, for logs and messages: `ip`, `connection`, `org`, `user`. */
  dimension: string;
  value: string;
  limit: number;
}

/** The answer for one request: allowed, or refused by the first counter over its budget. */
export type RateLimitDecision =
  | { allowed: true }
  | {
      allowed: false;
      counter: RateLimitCounter;
      retryAfterMs: number;
      count: number;
      firstRefusal: boolean;
    };

/**
 * Fixed window per counter, started by the counter's first request (INCR, and PEXPIRE when it
 * created the key, atomically in one script). Counters are charged in order and charging stops
 * at the first one over budget, so a client refused per IP does not also burn its organisation's
 * budget. All of a request's keys are charged in one round trip.
 */
const HIT_SCRIPT = `
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if count == 1 or ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  if count > tonumber(ARGV[i + 1]) then
    return {i, count, ttl}
  end
end
return {0, 0, 0}
`;

type HitReply = [index: number, count: number, ttlMs: number];

/**
 * Rate-limit counters shared by every control-plane replica through Redis.
 *
 * When Redis is unreachable the limiter fails OPEN to per-process counters with the same budgets
 * (so each replica still enforces them, on its own), and says so in the log. Why not closed: the
 * limited routes check no secret themselves (the IdP authenticates, a callback needs a one-time
 * login transaction with PKCE, token minting needs an authenticated caller), so the limits bound
 * load, not guessing; failing closed would turn a Redis outage into a login and automation
 * outage, and the design promises that losing Redis loses no account and no access.
 */
@Injectable()
export class RateLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly local = new Map<string, { count: number; resetAt: number }>();
  private degraded = false;

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // No offline queue: while Redis is away a command fails at once instead of waiting.
    this.redis = new Redis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    this.redis.on('error', () => undefined);
    this.redis.on('ready', () => {
      if (!this.degraded) return;
      this.degraded = false;
      this.logger.info(
        { event: 'rate_limit.restored' },
        'rate limits are shared through Redis again',
      );
    });
  }

  async onModuleInit(): Promise<void> {
    // Connect before serving so that the first requests are already counted in Redis.
    const ready = new Promise<void>((resolve) => this.redis.once('ready', () => resolve()));
    this.redis.connect().catch(() => undefined);
    await Promise.race([
      ready,
      new Promise((resolve) => setTimeout(resolve, CONNECT_WAIT_MS).unref()),
    ]);
    if (this.redis.status !== 'ready') this.degrade('Redis unreachable at boot');
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }

  /** Charges one request against `counters` (in order) within `bucket`. */
  async hit(bucket: string, counters: readonly RateLimitCounter[]): Promise<RateLimitDecision> {
    const keys = counters.map(
      (c) => `${this.config.rateLimits.keyPrefix}:${bucket}:${c.dimension}:${c.value}`,
    );
    let reply: HitReply | undefined;
    if (this.redis.status === 'ready') {
      try {
        reply = await this.viaRedis(keys, counters);
      } catch (e) {
        this.degrade(e instanceof Error ? e.message : String(e));
      }
    } else {
      this.degrade(`Redis connection is ${this.redis.status}`);
    }
    reply ??= this.viaLocal(keys, counters, Date.now());
    const [index, count, ttlMs] = reply;
    if (index === 0) return { allowed: true };
    const counter = counters[index - 1]!;
    return {
      allowed: false,
      counter,
      count,
      retryAfterMs: Math.max(ttlMs, 1),
      firstRefusal: count === counter.limit + 1,
    };
  }

  private async viaRedis(keys: string[], counters: readonly RateLimitCounter[]): Promise<HitReply> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Redis did not answer in time')), REDIS_TIMEOUT_MS);
    });
    try {
      const call = this.redis.eval(
        HIT_SCRIPT,
        keys.length,
        ...keys,
        RATE_LIMIT_WINDOW_MS,
        ...counters.map((c) => c.limit),
      );
      const raw = (await Promise.race([call, timeout])) as unknown[];
      return [Number(raw[0]), Number(raw[1]), Number(raw[2])];
    } finally {
      clearTimeout(timer);
    }
  }

  /** The same algorithm in process memory, for while Redis is away. */
  private viaLocal(keys: string[], counters: readonly RateLimitCounter[], now: number): HitReply {
    if (this.local.size > LOCAL_SWEEP_AT) {
      for (const [key, c] of this.local) if (c.resetAt <= now) this.local.delete(key);
    }
    for (let i = 0; i < keys.length; i++) {
      let c = this.local.get(keys[i]!);
      if (!c || c.resetAt <= now)
        this.local.set(keys[i]!, (c = { count: 0, resetAt: now + RATE_LIMIT_WINDOW_MS }));
      c.count += 1;
      if (c.count > counters[i]!.limit) return [i + 1, c.count, c.resetAt - now];
    }
    return [0, 0, 0];
  }

  private degrade(reason: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(
      { event: 'rate_limit.degraded', reason },
      'Redis unavailable: rate limits fall back to per-replica counters',
    );
  }
}
