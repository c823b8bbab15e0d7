import { Module } from '@nestjs/common';
import { EnvironmentsController } from './environments.controller.js';
import { EnvironmentStatusService } from './environment-status.service.js';
import { EnvironmentsService } from './environments.service.js';

@Module({
  controllers: [EnvironmentsController],
  providers: [EnvironmentsService, EnvironmentStatusService],
  exports: [EnvironmentsService],
})
export class EnvironmentsModule {}
