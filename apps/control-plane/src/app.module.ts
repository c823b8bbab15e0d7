import {
  Global,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  Inject,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { Logger } from 'pino';
import type { Database } from '@switchyard/db';
import { AuditModule } from './audit/audit.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { ClientTokensModule } from './client-tokens/client-tokens.module.js';
import { deriveKeys } from './common/crypto.js';
import { ErrorFilter } from './common/error.filter.js';
import { IdempotencyInterceptor } from './common/idempotency.interceptor.js';
import { IdempotencyPurger } from './common/idempotency-purger.js';
import { CONFIG, DB, KEYS, LOGGER } from './common/tokens.js';
import { ValidationInterceptor } from './common/validation.interceptor.js';
import type { AppConfig } from './config/config.js';
import { DomainsModule } from './domains/domains.module.js';
import { EnvironmentsModule } from './environments/environments.module.js';
import { EventsModule } from './events/events.module.js';
import { LiveModule } from './live/live.module.js';
import { InstancesModule } from './instances/instances.module.js';
import { InternalGrpcModule } from './internal-grpc/internal-grpc.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { ProposalBranchesModule } from './proposals/proposal-branches.module.js';
import { ProposalsModule } from './proposals/proposals.module.js';
import { PromotionModule } from './promotion/promotion.module.js';
import { PlaygroundModule } from './playground/playground.module.js';
import { FlagsModule } from './flags/flags.module.js';
import { InsightsModule } from './insights/insights.module.js';
import { GitHostingModule } from './git-hosting/git-hosting.module.js';
import { MembersModule } from './members/members.module.js';
import { OpenApiModule } from './openapi/openapi.module.js';
import { OrgsModule } from './orgs/orgs.module.js';
import { OutboundHooksModule } from './outbound-hooks/outbound-hooks.module.js';
import { RepositoriesModule } from './repositories/repositories.module.js';
import { SchedulesModule } from './schedules/schedules.module.js';
import { SsoModule } from './sso/sso.module.js';

/** Process-wide dependencies handed in by the entry point (nothing here reads the environment). */
export interface AppDependencies {
  config: AppConfig;
  db: Database;
  logger: Logger;
}

/** Owns the database client: closes it when the application shuts down. */
@Global()
@Module({})
class CoreModule implements OnApplicationShutdown {
  constructor(@Inject(DB) private readonly db: Database) {}

  static with(deps: AppDependencies): DynamicModule {
    const providers = [
      { provide: CONFIG, useValue: deps.config },
      { provide: DB, useValue: deps.db },
      { provide: LOGGER, useValue: deps.logger },
      { provide: KEYS, useValue: deriveKeys(deps.config.secret) },
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => p.provide) };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.$disconnect();
  }
}

/** The control plane: one module per feature, a global guard, validation, idempotency and one error filter. */
@Module({})
export class AppModule {
  static forRoot(deps: AppDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.with(deps),
        EventsModule,
        OutboundHooksModule,
        InstancesModule,
        InternalGrpcModule,
        AuditModule,
        AuthModule,
        OrgsModule,
        MembersModule,
        EnvironmentsModule,
        RepositoriesModule,
        ClientTokensModule,
        SsoModule,
        DomainsModule,
        GitHostingModule,
        ProposalBranchesModule,
        FlagsModule,
        LiveModule,
        PromotionModule,
        PlaygroundModule,
        InsightsModule,
        ProposalsModule,
        SchedulesModule,
        WebhooksModule,
        OpenApiModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        // Interceptors run in this order: input is validated before an idempotency key is claimed.
        { provide: APP_INTERCEPTOR, useClass: ValidationInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ErrorFilter },
        IdempotencyPurger,
      ],
    };
  }
}
