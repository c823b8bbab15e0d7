/**
 * Forwards git storage's "environment changed" notifications (a flag edit, a merge, an announced
 * push) to the organisation's instance over the watch stream, translating the environment id to
 * the key the instance knows. This is what makes an edit evaluable in well under a second
 * instead of at the next poll.
 */
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Database } from '@switchyard/db';
import type { Logger } from 'pino';
import { DB, LOGGER } from '../common/tokens.js';
import { EnvironmentEvents } from '../git-hosting/environment-events.js';
import { InstanceEvents } from './instance-events.js';

/** Subscribes to EnvironmentEvents for the application's lifetime. */
@Injectable()
export class EnvironmentChangeBridge implements OnModuleInit, OnModuleDestroy {
  #unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly source: EnvironmentEvents,
    private readonly events: InstanceEvents,
  ) {}

  onModuleInit(): void {
    this.#unsubscribe = this.source.on(({ orgId, environmentId, revision }) => {
      // Listeners must not throw: the lookup runs detached and only logs on failure.
      this.db.environment
        .findFirst({ where: { id: environmentId, orgId }, select: { key: true } })
        .then((env) => env && this.events.environmentChanged(orgId, env.key, revision))
        .catch((e: unknown) =>
          this.logger.warn({ err: e, environmentId }, 'could not forward an environment change'),
        );
    });
  }

  onModuleDestroy(): void {
    this.#unsubscribe?.();
  }
}
