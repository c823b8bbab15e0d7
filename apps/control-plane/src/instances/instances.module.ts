import { Global, Module } from '@nestjs/common';
import { RepositoriesModule } from '../repositories/repositories.module.js';
import { EdgeRoutesService } from './edge-routes.service.js';
import { EnvironmentChangeBridge } from './environment-change-bridge.js';
import { InstanceConfigService } from './instance-config.service.js';
import { InstanceEvents } from './instance-events.js';
import { InstanceStatusService } from './instance-status.service.js';
import { InstanceViewService } from './instance-view.service.js';
import { InstanceController } from './instance.controller.js';

/**
 * Instances as the control plane sees them: their configuration, change events, status reports,
 * the edge route table, and the status API members read. Global so environments and tokens can
 * publish change events without importing this module, and so the internal gRPC transport
 * (internal-grpc/) can serve these services.
 */
@Global()
@Module({
  imports: [RepositoriesModule],
  controllers: [InstanceController],
  providers: [
    InstanceViewService,
    EnvironmentChangeBridge,
    InstanceEvents,
    InstanceConfigService,
    InstanceStatusService,
    EdgeRoutesService,
  ],
  exports: [InstanceEvents, InstanceConfigService, InstanceStatusService, EdgeRoutesService],
})
export class InstancesModule {}
