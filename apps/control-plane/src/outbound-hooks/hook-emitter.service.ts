/**
 * Turns events into delivery rows and queue jobs. Runs in the control plane, on the replica where
 * the event happened: commits come from {@link ChangeEvents.onAnnounced} (this replica's
 * announcements only, never the relay's copies), the other events from the services that cause
 * them (proposals, promotion, client tokens; scheduled changes call {@link HookEmitter.emit}).
 *
 * Exactly one delivery per (hook, event): the row's unique `dedupeKey` is `hookId/eventId` and
 * commit event ids are derived from (org, environment, revision), so even a commit announced twice
 * (or by two replicas) yields one row, and one job (job id = row id). The body is built once here
 * and stored: the worker signs and sends it as it is, and a redelivery resends the same bytes.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Database } from '@switchyard/db';
import { history } from '@switchyard/git-store';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { CONFIG, DB, LOGGER } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { ChangeEvents } from '../events/change-events.js';
import { EnvironmentStoreService } from '../git-hosting/environment-store.service.js';
import { producerConnection } from '../provisioning/provisioning.queue.js';
import { commitDiff } from './commit-diff.js';
import type { HookCommit, HookDiff, HookEventInput, HookPayload } from './hook-events.js';
import { hookJobId, hookQueue, type HookJob } from './hook-queue.js';

/** Bodies larger than this drop their diff (marked truncated) rather than grow further. */
export const MAX_BODY_BYTES = 256 * 1024;

/** An event id derived from what identifies the event (the same commit always has the same id). */
export function derivedEventId(...parts: string[]): string {
  return `evt_${createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32)}`;
}

/** A fresh event id (events announced once: proposals, tokens, pings). */
export function newEventId(): string {
  return `evt_${randomUUID().replaceAll('-', '')}`;
}

@Injectable()
export class HookEmitter implements OnModuleInit, OnApplicationShutdown {
  #redis: Redis | undefined;
  #queue: Queue<HookJob> | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly events: ChangeEvents,
    private readonly stores: EnvironmentStoreService,
  ) {}

  onModuleInit(): void {
    this.#unsubscribe = this.events.onAnnounced((e) => {
      if (e.kind !== 'environment_changed') return;
      this.announce({
        orgId: e.orgId,
        type: 'commit',
        id: derivedEventId('commit', e.orgId, e.envKey, e.revision),
        environment: e.envKey,
        ...(e.author ? { actor: e.author.email } : {}),
        commit: { envKey: e.envKey, revision: e.revision, previous: e.previous },
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.#unsubscribe?.();
    await this.#queue?.close().catch(() => undefined);
    this.#redis?.disconnect();
  }

  /** Fire and forget for announcers whose own work is done: a failure is logged, never thrown. */
  announce(input: HookEventInput): void {
    void this.emit(input).catch((err: unknown) =>
      this.logger.warn({ err, orgId: input.orgId, type: input.type }, 'webhook event not queued'),
    );
  }

  /**
   * Creates one delivery per enabled hook of `input.orgId` subscribed to its type and queues them;
   * returns the ids of the deliveries created (none when no hook listens or all existed).
   */
  async emit(input: HookEventInput): Promise<string[]> {
    const hooks = await this.db.outboundHook.findMany({
      where: { orgId: input.orgId, enabled: true, events: { has: input.type } },
      select: { id: true },
    });
    if (hooks.length === 0) return [];
    const org = await this.db.organisation.findUnique({ where: { id: input.orgId } });
    if (!org) return [];
    const payload: HookPayload = {
      id: input.id ?? newEventId(),
      type: input.type,
      occurredAt: new Date().toISOString(),
      org: { id: org.id, slug: org.slug },
      ...(input.environment !== undefined ? { environment: { key: input.environment } } : {}),
      ...(input.actor !== undefined ? { actor: { email: input.actor } } : {}),
      ...input.data,
      ...(input.commit ? await this.describe(input.orgId, input.commit) : {}),
    };
    return this.enqueue(
      input.orgId,
      hooks.map((h) => h.id),
      payload,
    );
  }

  /** Writes delivery rows for `payload` (skipping existing ones) and queues the new ones. */
  async enqueue(orgId: string, hookIds: string[], payload: HookPayload, redelivery = false) {
    const body = bounded(payload);
    const rows = await this.db.outboundHookDelivery.createManyAndReturn({
      data: hookIds.map((hookId) => ({
        hookId,
        orgId,
        eventId: payload.id,
        eventType: payload.type,
        dedupeKey: `${hookId}/${payload.id}${redelivery ? `/${randomUUID()}` : ''}`,
        body,
      })),
      skipDuplicates: true,
      select: { id: true },
    });
    await this.queue(rows.map((r) => r.id));
    return rows.map((r) => r.id);
  }

  /** Adds the jobs; when Redis is away the rows stay PENDING and the worker's sweep queues them. */
  private async queue(deliveryIds: string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    try {
      await this.producer().addBulk(
        deliveryIds.map((id) => ({
          name: 'deliver',
          data: { deliveryId: id },
          opts: { jobId: hookJobId(id) },
        })),
      );
    } catch (err) {
      this.logger.warn({ err, deliveries: deliveryIds.length }, 'webhook jobs left to the sweep');
    }
  }

  private producer(): Queue<HookJob> {
    if (!this.#queue) {
      this.#redis = producerConnection(this.config.redisUrl);
      this.#redis.on('error', () => undefined);
      this.#queue = hookQueue(this.#redis, this.config.provisioning.queuePrefix);
      this.#queue.on('error', () => undefined);
    }
    return this.#queue;
  }

  /** The commit's author, message and field-level diff, from the environment's local repository. */
  private async describe(
    orgId: string,
    c: NonNullable<HookEventInput['commit']>,
  ): Promise<{ commit: HookCommit; diff: HookDiff }> {
    const env = await this.db.environment.findUnique({
      where: { orgId_key: { orgId, key: c.envKey } },
    });
    const store = env ? await this.stores.localStore(env).catch(() => null) : null;
    const info = store
      ? (await history(store, { rev: c.revision, limit: 1 }).catch(() => null))?.commits[0]
      : undefined;
    const previous = c.previous ?? info?.parents[0] ?? null;
    const diff =
      store && previous
        ? await commitDiff(store, previous, c.revision).catch(() => ({
            objects: [],
            truncated: true,
          }))
        : { objects: [], truncated: false };
    return {
      commit: {
        sha: c.revision,
        author: info ? { name: info.author.name, email: info.author.email } : null,
        message: info?.message ?? '',
        previous,
      },
      diff,
    };
  }
}

/** The JSON body, without its diff's objects when it would exceed {@link MAX_BODY_BYTES}. */
function bounded(payload: HookPayload): string {
  const body = JSON.stringify(payload);
  if (Buffer.byteLength(body) <= MAX_BODY_BYTES || !payload.diff) return body;
  return JSON.stringify({ ...payload, diff: { objects: [], truncated: true } });
}
