/**
 * The worker's side of the wake channel (instances/wake-channel.ts): it hears wake requests on
 * Redis pub/sub, wakes through the provisioner (organisation lease + per-org chain, so with
 * several workers one starts the instance) and publishes the outcome. A worker that lost the race
 * for the lease stays silent: the winner answers.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  parseWakeMessage,
  wakeChannels,
  wakeRequestSchema,
  type WakeResult,
} from '../instances/wake-channel.js';
import { LeaseHeldError, type Provisioner } from './provisioner.js';

/** Longest one wake may take in the worker (the control plane's waiter times out on its own). */
export const WAKE_START_TIMEOUT_MS = 30_000;

/** Subscribes to wake requests. */
export class WakeListener {
  readonly #channels: { requests: string; results: string };
  readonly #sub: Redis;
  readonly #inFlight = new Map<string, Promise<void>>();

  constructor(
    redisUrl: string,
    prefix: string,
    private readonly pub: Redis,
    private readonly provisioner: Provisioner,
    private readonly logger: Logger,
  ) {
    this.#channels = wakeChannels(prefix);
    this.#sub = new Redis(redisUrl, { maxRetriesPerRequest: null, connectionName: 'sy-wake-sub' });
    this.#sub.on('error', (e: Error) => logger.debug({ err: e }, 'redis (wake) error'));
    this.#sub.on('message', (channel: string, raw: string) => {
      if (channel !== this.#channels.requests) return;
      const req = parseWakeMessage(wakeRequestSchema, raw);
      if (req && !this.#inFlight.has(req.orgId)) this.#wake(req.orgId);
    });
  }

  /** Resolves once subscribed (wakes can be requested from then on). */
  async start(): Promise<void> {
    await this.#sub.subscribe(this.#channels.requests);
  }

  #wake(orgId: string): void {
    const run = this.provisioner
      .wake(orgId, WAKE_START_TIMEOUT_MS)
      .then(
        () => this.#publish({ v: 1, orgId, ok: true }),
        (e: unknown) => {
          if (e instanceof LeaseHeldError) return;
          this.logger.warn({ err: e, org: orgId }, 'wake failed');
          return this.#publish({ v: 1, orgId, ok: false, message: (e as Error).message });
        },
      )
      .finally(() => this.#inFlight.delete(orgId));
    this.#inFlight.set(orgId, run);
  }

  async #publish(result: WakeResult): Promise<void> {
    await this.pub
      .publish(this.#channels.results, JSON.stringify(result))
      .catch((e: unknown) => this.logger.warn({ err: e }, 'could not publish a wake result'));
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.#inFlight.values()]);
    this.#sub.disconnect();
  }
}
