import { Global, Module } from '@nestjs/common';
import { ChangeEvents } from './change-events.js';
import { ChangeRelay } from './change-relay.js';
import { ScheduleEvents } from './schedule-events.js';

/**
 * The change events every feature announces to and listens on (instances' watch streams, the
 * console's event streams in live/), shared across replicas, and the in-process scheduled-change
 * notifications (schedule-events.ts). Global: announcers do not import it.
 */
@Global()
@Module({
  providers: [ChangeEvents, ChangeRelay, ScheduleEvents],
  exports: [ChangeEvents, ScheduleEvents],
})
export class EventsModule {}
