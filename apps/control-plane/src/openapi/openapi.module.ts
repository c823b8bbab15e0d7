import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OpenApiController } from './openapi.controller.js';
import { RouteTableService } from './route-table.js';

@Module({
  imports: [DiscoveryModule],
  controllers: [OpenApiController],
  providers: [RouteTableService],
  exports: [RouteTableService],
})
export class OpenApiModule {}
