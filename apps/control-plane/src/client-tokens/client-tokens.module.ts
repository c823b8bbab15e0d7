import { Module } from '@nestjs/common';
import { ClientTokensController } from './client-tokens.controller.js';
import { ClientTokensService } from './client-tokens.service.js';

@Module({
  controllers: [ClientTokensController],
  providers: [ClientTokensService],
  exports: [ClientTokensService],
})
export class ClientTokensModule {}
