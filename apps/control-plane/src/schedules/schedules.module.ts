import { Module } from '@nestjs/common';
import { FlagsModule } from '../flags/flags.module.js';
import { PromotionModule } from '../promotion/promotion.module.js';
import { ProposalsModule } from '../proposals/proposals.module.js';
import { ScheduleApplier } from './schedule-applier.js';
import { ScheduleRunner } from './schedule-runner.js';
import { ScheduleQueue } from './schedule.queue.js';
import { SchedulesController } from './schedules.controller.js';
import { SchedulesService } from './schedules.service.js';

/**
 * Scheduled changes: the API (every replica) and the applier the worker process runs
 * (schedule.worker.ts starts its consumer; the HTTP app only enqueues).
 */
@Module({
  imports: [FlagsModule, PromotionModule, ProposalsModule],
  controllers: [SchedulesController],
  providers: [SchedulesService, ScheduleQueue, ScheduleRunner, ScheduleApplier],
  exports: [ScheduleApplier],
})
export class SchedulesModule {}
