// The gRPC baseline: a bare grpc-js server whose Boolean returns a fixed response.
// Prints `{"port":N}` once bound.
import * as grpc from '@grpc/grpc-js';
import { evaluationService } from './grpc-proto.mjs';

const fixed = {
  enabled: true,
  reason: 'DEFAULT_EVALUATION_REASON',
  requestId: '00000000-0000-4000-8000-000000000000',
  requestDurationMillis: 0.01,
  timestamp: { seconds: 1767225600, nanos: 0 },
  flagKey: 'dark-mode',
  segmentKeys: [],
};
const server = new grpc.Server();
server.addService(evaluationService().service, {
  Boolean: (_call, cb) => cb(null, fixed),
  Variant: (_call, cb) => cb(null, {}),
  Batch: (_call, cb) => cb(null, {}),
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
