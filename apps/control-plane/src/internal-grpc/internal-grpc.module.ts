import { Module } from '@nestjs/common';
import { GrpcAuth } from './grpc-auth.js';
import { InternalGrpcServer } from './internal-grpc.server.js';
import { TokenUsageRecorder } from './token-usage.recorder.js';

/**
 * The internal gRPC transport for instances and the edge. It serves what the (global) instances
 * module provides; the instances module does not know about this transport, so the two features
 * import in one direction only.
 */
@Module({
  providers: [GrpcAuth, TokenUsageRecorder, InternalGrpcServer],
  exports: [InternalGrpcServer],
})
export class InternalGrpcModule {}
