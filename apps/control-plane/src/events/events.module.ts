import { Global, Module } from '@nestjs/common';
import { ChangeEvents } from './change-events.js';
import { ChangeRelay } from './change-relay.js';
import { LiveController } from './live.controller.js';
import { LiveService } from './live.service.js';

/**
 * The change events every feature announces to and listens on (instances' watch streams, the
 * console's event streams), shared across replicas. Global: announcers do not import it.
 */
@Global()
@Module({
  controllers: [LiveController],
  providers: [ChangeEvents, ChangeRelay, LiveService],
  exports: [ChangeEvents],
})
export class EventsModule {}
