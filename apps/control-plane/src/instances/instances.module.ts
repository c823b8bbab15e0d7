import { Global, Module } from '@nestjs/common';
import { GrpcAuth } from '../internal-grpc/grpc-auth.js';
import { InternalGrpcServer } from '../internal-grpc/internal-grpc.server.js';
import { TokenUsageRecorder } from '../internal-grpc/token-usage.recorder.js';
import { RepositoriesModule } from '../repositories/repositories.module.js';
import { EdgeRoutesService } from './edge-routes.service.js';
import { InstanceConfigService } from './instance-config.service.js';
import { InstanceStatusService } from './instance-status.service.js';
import { InstanceViewService } from './instance-view.service.js';
import { InstanceController } from './instance.controller.js';

/**
 * Instances as the control plane sees them: their configuration, status reports, the edge route
 * table, the internal gRPC server (whose watch streams forward change events), and the status API
 * members read.
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
    GrpcAuth,
    TokenUsageRecorder,
    InternalGrpcServer,
  ],
  exports: [InternalGrpcServer],
})
export class InstancesModule {}
