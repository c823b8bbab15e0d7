import { Module } from '@nestjs/common';
import { FlagsModule } from '../flags/flags.module.js';
import { ProposalsController } from './proposals.controller.js';
import { ProposalsService } from './proposals.service.js';

/** Reviewed changes for protected environments. */
@Module({
  imports: [FlagsModule],
  controllers: [ProposalsController],
  providers: [ProposalsService],
  exports: [ProposalsService],
})
export class ProposalsModule {}
