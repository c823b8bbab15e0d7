import { Global, Module } from '@nestjs/common';
import { RepositoriesModule } from '../repositories/repositories.module.js';
import { EdgeRoutesService } from './edge-routes.service.js';
import { InstanceConfigService } from './instance-config.service.js';
import { InstanceStatusService } from './instance-status.service.js';
import { InstanceViewService } from './instance-view.service.js';
import { InstanceWaker } from './instance-waker.js';
import { InstanceController } from './instance.controller.js';

/**
 * Instances as the control plane sees them: their configuration, status reports, the edge route
 * table and wakes, and the status API members read. Global so the internal gRPC transport (internal-grpc/)
 * can serve these services without this module knowing about it.
 */
@Global()
@Module({
  imports: [RepositoriesModule],
  controllers: [InstanceController],
  providers: [
    InstanceViewService,
    InstanceConfigService,
    InstanceStatusService,
    EdgeRoutesService,
    InstanceWaker,
  ],
  exports: [InstanceConfigService, InstanceStatusService, EdgeRoutesService],
})
export class InstancesModule {}
