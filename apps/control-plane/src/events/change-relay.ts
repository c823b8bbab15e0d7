/**
 * Shares change events between control-plane replicas over one Redis pub/sub channel, so an
 * instance or console watching replica B hears of a commit made through replica A.
 *
 * Message (JSON): `{"v":1,"replica":"<uuid of the sender>","event":{...ChangeEvent}}`. A replica
 * ignores its own messages: it already delivered them locally when they were announced.
 *
 * Redis being away never delays or drops local delivery. Messages this replica could not publish
 * wait in a bounded buffer and go out when the connection is back (oldest dropped beyond it);
 * after the subscription was interrupted, local listeners are told to resync because other
 * replicas' messages of that time are gone (pub/sub keeps nothing).
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { CONFIG, LOGGER } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { ChangeEvents, type ChangeEvent, type ChangeRelayPort } from './change-events.js';

/** How long boot waits for the subscription before serving without it. */
const CONNECT_WAIT_MS = 2_000;
/** Messages kept while Redis is unreachable. */
export const PENDING_LIMIT = 1_000;

const id = z.string().min(1).max(200);
const eventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('environment_changed'),
    orgId: id,
    orgSlug: id,
    envKey: id,
    revision: z.string().regex(/^[0-9a-f]{40,64}$/),
    previous: z
      .string()
      .regex(/^[0-9a-f]{40,64}$/)
      .optional(),
    author: z.object({ name: z.string().max(1000), email: z.string().max(1000) }).optional(),
    summary: z.string().max(100_000).optional(),
  }),
  z.object({ kind: z.literal('tokens_changed'), orgId: id }),
  z.object({ kind: z.literal('config_changed'), orgId: id }),
]);
const messageSchema = z.object({ v: z.literal(1), replica: z.string(), event: eventSchema });

/** The wire form of one relayed event. */
export type RelayMessage = z.infer<typeof messageSchema>;

/** Connects {@link ChangeEvents} of this replica to the shared channel. */
@Injectable()
export class ChangeRelay implements ChangeRelayPort, OnModuleInit, OnApplicationShutdown {
  /** This process's identity on the channel. */
  readonly replica = randomUUID();
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #pending: string[] = [];
  #subscribedOnce = false;
  #interrupted = false;
  #closing = false;
  #flushing = false;

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly events: ChangeEvents,
  ) {
    const options = {
      lazyConnect: true,
      // Commands fail at once while disconnected; the relay keeps its own bounded buffer.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(times * 200, 2_000),
    };
    // Named so an operator (or a test) can tell the replicas' connections apart in CLIENT LIST.
    this.#pub = new Redis(config.redisUrl, {
      ...options,
      connectionName: `switchyard-events-pub-${this.replica}`,
    });
    // A subscriber connection re-subscribes by itself after a reconnect (autoResubscribe); its
    // first SUBSCRIBE waits in the offline queue for as long as Redis is away, boot included.
    this.#sub = new Redis(config.redisUrl, {
      ...options,
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      connectionName: `switchyard-events-sub-${this.replica}`,
    });
    this.#pub.on('error', () => undefined);
    this.#sub.on('error', () => undefined);
    this.#pub.on('ready', () => this.flush());
    this.#sub.on('close', () => {
      if (this.#subscribedOnce && !this.#closing) this.#interrupted = true;
    });
    this.#sub.on('ready', () => {
      if (!this.#interrupted) return;
      this.#interrupted = false;
      this.logger.info({ event: 'change_events.resubscribed' }, 'change events: Redis is back');
      this.events.resyncAll();
    });
    this.#sub.on('message', (channel: string, raw: string) => {
      if (channel === this.config.changeEventsChannel) this.receive(raw);
    });
  }

  async onModuleInit(): Promise<void> {
    this.events.attachRelay(this);
    this.#pub.connect().catch(() => undefined);
    this.#sub.connect().catch(() => undefined);
    const subscribed = this.#sub.subscribe(this.config.changeEventsChannel).then(
      () => {
        this.#subscribedOnce = true;
        return true;
      },
      () => false,
    );
    const ok = await Promise.race([
      subscribed,
      new Promise<false>((resolve) => setTimeout(() => resolve(false), CONNECT_WAIT_MS).unref()),
    ]);
    if (!ok) {
      // Whatever happens before the subscription is in place is missed: resync once it is.
      void subscribed.then((late) => {
        if (late && !this.#closing) this.events.resyncAll();
      });
      this.logger.warn(
        { event: 'change_events.degraded' },
        'change events: Redis unreachable, other replicas will not hear of changes made here until it is back',
      );
    }
  }

  onApplicationShutdown(): void {
    this.#closing = true;
    this.#pub.disconnect();
    this.#sub.disconnect();
  }

  /** Messages waiting for Redis (tests, metrics). */
  pending(): number {
    return this.#pending.length;
  }

  forward(event: ChangeEvent): void {
    if (event.kind === 'resync') return;
    const message: RelayMessage = { v: 1, replica: this.replica, event };
    this.#pending.push(JSON.stringify(message));
    if (this.#pending.length > PENDING_LIMIT) this.#pending.shift();
    this.flush();
  }

  /** Publishes buffered messages in order; stops at the first failure and keeps the rest. */
  private flush(): void {
    if (this.#flushing || this.#pub.status !== 'ready') return;
    this.#flushing = true;
    void (async () => {
      try {
        while (this.#pending.length > 0 && this.#pub.status === 'ready') {
          await this.#pub.publish(this.config.changeEventsChannel, this.#pending[0]!);
          this.#pending.shift();
        }
      } catch (e) {
        this.logger.warn(
          { err: e, pending: this.#pending.length },
          'change events: publish failed',
        );
      } finally {
        this.#flushing = false;
      }
    })();
  }

  private receive(raw: string): void {
    let message: RelayMessage;
    try {
      message = messageSchema.parse(JSON.parse(raw));
    } catch (e) {
      this.logger.warn({ err: e }, 'change events: ignored a malformed message');
      return;
    }
    if (message.replica === this.replica) return;
    this.events.deliver(message.event);
  }
}
