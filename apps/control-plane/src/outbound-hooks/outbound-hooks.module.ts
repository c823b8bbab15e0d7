import { Global, Module } from '@nestjs/common';
import { HookEmitter } from './hook-emitter.service.js';
import { OutboundHooksController } from './outbound-hooks.controller.js';
import { OutboundHooksService } from './outbound-hooks.service.js';

/**
 * Outbound webhooks: CRUD and the delivery log here; the events come through the (global)
 * {@link HookEmitter}, which announcers (proposals, promotion, client tokens, scheduled changes)
 * inject without importing this module. Delivery itself runs in the worker (hook-worker.ts).
 */
@Global()
@Module({
  controllers: [OutboundHooksController],
  providers: [HookEmitter, OutboundHooksService],
  exports: [HookEmitter],
})
export class OutboundHooksModule {}
