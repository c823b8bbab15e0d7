// Loads flipt.evaluation.EvaluationService from the repository proto (same options as the server).
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

const PROTO_ROOT = fileURLToPath(new URL('../../../proto/', import.meta.url));

/** The EvaluationService client constructor. */
export function evaluationService() {
  const def = protoLoader.loadSync('flipt/evaluation/evaluation.proto', { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_ROOT] });
  return grpc.loadPackageDefinition(def).flipt.evaluation.EvaluationService;
}
