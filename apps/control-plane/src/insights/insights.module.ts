import { Module } from '@nestjs/common';
import { FlagsModule } from '../flags/flags.module.js';
import { InsightsController } from './insights.controller.js';
import { StaleFlagsService } from './stale-flags.service.js';
import { UsageIngest } from './usage-ingest.service.js';
import { UsageService } from './usage.service.js';

/**
 * Flag insights: evaluation counts reported by instances (ingest, exported to the internal gRPC
 * transport), their reads, stale flags and their archive. The rollup runs in the worker
 * (`usage-rollup.ts`, no Nest).
 */
@Module({
  imports: [FlagsModule],
  controllers: [InsightsController],
  providers: [UsageIngest, UsageService, StaleFlagsService],
  exports: [UsageIngest],
})
export class InsightsModule {}
