/**
 * Loads proto/switchyard/controlplane/v1/instance.proto at runtime with @grpc/proto-loader.
 * Chosen over generated code: the data plane already loads Flipt's proto this way, the .proto is
 * the one contract, and there is no generated TypeScript to drift (types are declared beside
 * their use, in camelCase as proto-loader maps them).
 */
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** Repository `proto/` directory (same depth from src/ and dist/). */
export const PROTO_ROOT = fileURLToPath(new URL('../../../../proto/', import.meta.url));

/** The two internal services' definitions. */
export function loadInternalServices(): { instance: grpc.ServiceDefinition; edge: grpc.ServiceDefinition; EdgeClient: grpc.ServiceClientConstructor; InstanceClient: grpc.ServiceClientConstructor } {
  const def = protoLoader.loadSync('switchyard/controlplane/v1/instance.proto', { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_ROOT] });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    switchyard: { controlplane: { v1: { InstanceService: grpc.ServiceClientConstructor; EdgeService: grpc.ServiceClientConstructor } } };
  };
  const v1 = pkg.switchyard.controlplane.v1;
  return { instance: v1.InstanceService.service, edge: v1.EdgeService.service, EdgeClient: v1.EdgeService, InstanceClient: v1.InstanceService };
}
