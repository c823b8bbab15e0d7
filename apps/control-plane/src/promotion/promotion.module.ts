import { Module } from '@nestjs/common';
import { FlagsModule } from '../flags/flags.module.js';
import { PromotionController } from './promotion.controller.js';
import { PromotionService } from './promotion.service.js';

/** Promotion between environments. */
@Module({
  imports: [FlagsModule],
  controllers: [PromotionController],
  providers: [PromotionService],
  exports: [PromotionService],
})
export class PromotionModule {}
