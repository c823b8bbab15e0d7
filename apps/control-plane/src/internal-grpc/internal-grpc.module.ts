import { Module } from '@nestjs/common';
import { InsightsModule } from '../insights/insights.module.js';
import { GrpcAuth } from './grpc-auth.js';
import { InternalGrpcServer } from './internal-grpc.server.js';
import { TokenUsageRecorder } from './token-usage.recorder.js';

/**
 * The internal gRPC transport for instances and the edge. It serves what the (global) instances
 * module provides; the instances module does not know about this transport, so the two features
 * import in one direction only.
 */
@Module({
  imports: [InsightsModule],
  providers: [GrpcAuth, TokenUsageRecorder, InternalGrpcServer],
  exports: [InternalGrpcServer],
})
export class InternalGrpcModule {}
