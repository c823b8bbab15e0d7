import { Module } from '@nestjs/common';
import { LiveController } from './live.controller.js';
import { LiveService } from './live.service.js';

/**
 * The console's live view of an environment: its commits as server-sent events. A listener of
 * the (global) change events, kept out of `events/` so the event bus imports no feature.
 */
@Module({
  controllers: [LiveController],
  providers: [LiveService],
})
export class LiveModule {}
