/**
 * Asks the provisioning workers to wake a sleeping organisation's instance and waits for the
 * answer (see wake-channel.ts). One wake per organisation at a time in this replica: concurrent
 * callers (the edge holding many requests, several edges) share it. Redis connections open on the
 * first wake, so a control plane that never wakes anything never connects for it.
 */
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { errors } from '@switchyard/flags';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { CONFIG, LOGGER } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import {
  parseWakeMessage,
  wakeChannels,
  wakeResultSchema,
  type WakeResult,
} from './wake-channel.js';

/** Wakes instances through the workers. */
@Injectable()
export class InstanceWaker implements OnApplicationShutdown {
  readonly #channels: { requests: string; results: string };
  readonly #waiters = new Map<string, Set<(r: WakeResult) => void>>();
  readonly #wakes = new Map<string, Promise<void>>();
  #pub: Redis | undefined;
  #sub: Redis | undefined;
  #subscribed: Promise<void> | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.#channels = wakeChannels(config.provisioning.queuePrefix);
  }

  /** Resolves once the organisation's instance serves; Unavailable after `timeoutMs`. */
  wake(orgId: string, timeoutMs: number): Promise<void> {
    const running = this.#wakes.get(orgId);
    if (running) return running;
    const wake = this.#wake(orgId, timeoutMs).finally(() => this.#wakes.delete(orgId));
    this.#wakes.set(orgId, wake);
    return wake;
  }

  async #wake(orgId: string, timeoutMs: number): Promise<void> {
    const started = Date.now();
    await this.#connect();
    let timer: NodeJS.Timeout | undefined;
    let waiter: ((r: WakeResult) => void) | undefined;
    // Listening before publishing: the answer can be quicker than the publish's reply.
    const result = new Promise<WakeResult | undefined>((resolve) => {
      waiter = resolve;
      const set = this.#waiters.get(orgId) ?? new Set();
      set.add(resolve);
      this.#waiters.set(orgId, set);
      timer = setTimeout(() => resolve(undefined), Math.max(0, timeoutMs - (Date.now() - started)));
    });
    try {
      const receivers = await this.#pub!.publish(
        this.#channels.requests,
        JSON.stringify({ v: 1, orgId }),
      );
      if (receivers === 0)
        throw errors.unavailable('no provisioning worker is running to wake the instance');
      const r = await result;
      if (!r) throw errors.unavailable(`the instance did not wake within ${timeoutMs} ms`);
      if (!r.ok) throw errors.unavailable(`the instance could not wake: ${r.message ?? 'failed'}`);
      this.logger.info({ org: orgId, ms: Date.now() - started }, 'instance woken');
    } finally {
      clearTimeout(timer);
      const set = this.#waiters.get(orgId);
      set?.delete(waiter!);
      if (set?.size === 0) this.#waiters.delete(orgId);
    }
  }

  #connect(): Promise<void> {
    this.#subscribed ??= (async () => {
      const options = { maxRetriesPerRequest: 1, connectionName: 'switchyard-wake' };
      this.#pub = new Redis(this.config.redisUrl, options);
      this.#sub = new Redis(this.config.redisUrl, options);
      for (const c of [this.#pub, this.#sub])
        c.on('error', (e: Error) => this.logger.debug({ err: e }, 'redis (wake) error'));
      this.#sub.on('message', (channel: string, raw: string) => {
        if (channel !== this.#channels.results) return;
        const r = parseWakeMessage(wakeResultSchema, raw);
        if (r) for (const settle of this.#waiters.get(r.orgId) ?? []) settle(r);
      });
      await this.#sub.subscribe(this.#channels.results);
    })().catch((e: unknown) => {
      this.#subscribed = undefined;
      this.#close();
      this.logger.warn({ err: e }, 'wake channel unavailable');
      throw errors.unavailable(
        'cannot reach the provisioning workers (Redis) to wake the instance',
      );
    });
    return this.#subscribed;
  }

  #close(): void {
    this.#pub?.disconnect();
    this.#sub?.disconnect();
    this.#pub = undefined;
    this.#sub = undefined;
  }

  onApplicationShutdown(): void {
    this.#close();
  }
}
