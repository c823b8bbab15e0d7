/**
 * The gRPC contracts: the .proto files under proto/, the TypeScript types generated from them
 * (src/gen, committed; `X` is what a sender may pass, `X__Output` what a receiver gets), and the
 * one loader every app uses. The wire format is the .proto; messages are loaded at run time by
 * @grpc/proto-loader with PROTO_LOADER_OPTIONS, which the generated types assume.
 */
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { EvaluationProtoGrpcType, InstanceProtoGrpcType } from './gen/index.js';
import { PROTO_LOADER_OPTIONS } from './options.js';

export * from './gen/index.js';
export { PROTO_LOADER_OPTIONS } from './options.js';

/** This package's proto/ directory (same depth from src/ and dist/). */
export const PROTO_ROOT = fileURLToPath(new URL('../proto/', import.meta.url));

/** Loads `file` (relative to PROTO_ROOT) with PROTO_LOADER_OPTIONS. */
export function loadProto(file: string): grpc.GrpcObject {
  const def = protoLoader.loadSync(file, { ...PROTO_LOADER_OPTIONS, includeDirs: [PROTO_ROOT] });
  return grpc.loadPackageDefinition(def);
}

let instance: InstanceProtoGrpcType['switchyard']['controlplane']['v1'] | undefined;
let evaluation: EvaluationProtoGrpcType['flipt']['evaluation'] | undefined;

/**
 * `switchyard.controlplane.v1`: the internal InstanceService (data-plane instances) and
 * EdgeService (edge router). Use `.InstanceService.service` to serve, `new .InstanceService(...)`
 * as a client. Loaded once per process.
 */
export function instanceContract(): InstanceProtoGrpcType['switchyard']['controlplane']['v1'] {
  instance ??= (
    loadProto('switchyard/controlplane/v1/instance.proto') as unknown as InstanceProtoGrpcType
  ).switchyard.controlplane.v1;
  return instance;
}

/** `flipt.evaluation`: Flipt's wire-compatible EvaluationService. Loaded once per process. */
export function evaluationContract(): EvaluationProtoGrpcType['flipt']['evaluation'] {
  evaluation ??= (
    loadProto('flipt/evaluation/evaluation.proto') as unknown as EvaluationProtoGrpcType
  ).flipt.evaluation;
  return evaluation;
}
