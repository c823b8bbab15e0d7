/**
 * The console's live view of an environment: every change event of it becomes one `commit`
 * frame with who changed what. The commit details are computed once per revision and replica
 * (however many pages watch), from the event and, where it lacks them, the local repository.
 */
import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Database, Environment } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { history } from '@switchyard/git-store';
import type { Logger } from 'pino';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { DB, LOGGER } from '../common/tokens.js';
import { EnvironmentStoreService } from '../git-hosting/environment-store.service.js';
import { ChangeEvents, type EnvironmentChange } from '../events/change-events.js';
import { changedFlags } from './changed-flags.js';
import type { CommitEventDto } from './live.dto.js';

/** Commit descriptions remembered (a burst of watchers of the same commits shares them). */
const REMEMBERED = 200;

/** One server-sent event frame. */
export function sseFrame(event: string, data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

@Injectable()
export class LiveService implements BeforeApplicationShutdown {
  readonly #described = new Map<string, Promise<CommitEventDto>>();
  readonly #open = new Set<() => void>();

  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly stores: EnvironmentStoreService,
    private readonly events: ChangeEvents,
  ) {}

  /** The environment a caller may watch: the same access as reading its flags. */
  async environment(ctx: OrgContext, envKey: string): Promise<Environment> {
    requirePermission(ctx, 'flags:read');
    const env = await this.db.environment.findUnique({
      where: { orgId_key: { orgId: ctx.org.id, key: envKey } },
    });
    if (!env) throw errors.notFound('environment not found');
    return env;
  }

  /**
   * Sends `env`'s frames to `send` until the returned function is called. Frames keep the order
   * of the events even though describing a commit is asynchronous.
   */
  follow(env: Environment, send: (frame: string) => void, close: () => void): () => void {
    let chain = Promise.resolve();
    const unsubscribe = this.events.subscribe(env.orgId, (e) => {
      if (e.kind === 'resync') chain = chain.then(() => send(sseFrame('resync', {})));
      if (e.kind !== 'environment_changed' || e.envKey !== env.key) return;
      chain = chain
        .then(() => this.describe(env, e))
        .then((dto) => send(sseFrame('commit', dto, e.revision)))
        .catch((err: unknown) =>
          this.logger.warn({ err, environmentId: env.id }, 'could not send a commit event'),
        );
    });
    this.#open.add(close);
    return () => {
      this.#open.delete(close);
      unsubscribe();
    };
  }

  /**
   * True when a reconnecting client's last seen revision is not the environment's branch head
   * (known from the row for hosted environments; external ones cannot tell without a fetch and
   * count as missed): commits happened while it was away.
   */
  missedSince(env: Environment, lastEventId: string | undefined): boolean {
    if (lastEventId === undefined || lastEventId === '') return false;
    return env.repositoryId !== null || env.hostedRevision !== lastEventId;
  }

  /** Open streams would keep the HTTP server from closing: end them first. */
  beforeApplicationShutdown(): void {
    for (const close of [...this.#open]) close();
  }

  private describe(env: Environment, e: EnvironmentChange): Promise<CommitEventDto> {
    const key = `${env.id}:${e.revision}`;
    let known = this.#described.get(key);
    if (!known) {
      known = this.read(env, e);
      this.#described.set(key, known);
      if (this.#described.size > REMEMBERED)
        this.#described.delete(this.#described.keys().next().value!);
    }
    return known;
  }

  private async read(env: Environment, e: EnvironmentChange): Promise<CommitEventDto> {
    const store = await this.stores.localStore(env).catch(() => null);
    let author = e.author ?? null;
    let message = e.summary ?? '';
    let parent: string | undefined;
    if (store) {
      const commit = (await history(store, { rev: e.revision, limit: 1 }).catch(() => null))
        ?.commits[0];
      author ??= commit?.author ?? null;
      if (e.summary === undefined) message = commit?.message.split('\n', 1)[0] ?? '';
      parent = commit?.parents[0];
    }
    const from = e.previous ?? parent;
    const flags =
      store && from
        ? await changedFlags(store, from, e.revision).catch(() => undefined)
        : undefined;
    return { revision: e.revision, author, message, ...(flags ? { changedFlags: flags } : {}) };
  }
}
