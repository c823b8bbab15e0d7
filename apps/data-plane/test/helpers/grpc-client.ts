/** A grpc-js client of flipt.evaluation.EvaluationService built from the repository proto. */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PROTO_ROOT } from '@switchyard/contracts';

type Call = (
  req: unknown,
  md: grpc.Metadata,
  cb: (err: grpc.ServiceError | null, res: Record<string, unknown>) => void,
) => void;

/** Promise wrapper over the three RPCs. */
export interface EvaluationClient {
  call(
    method: 'Boolean' | 'Variant' | 'Batch',
    req: unknown,
    metadata?: Record<string, string>,
  ): Promise<Record<string, unknown>>;
  /** The underlying channel (connectivity checks). */
  channel(): grpc.Channel;
  close(): void;
}

/** Connects to `address` (host:port). Uses the same proto-loader options a Flipt Node user would. */
export function evaluationClient(
  address: string,
  options: grpc.ClientOptions = {},
): EvaluationClient {
  const def = protoLoader.loadSync('flipt/evaluation/evaluation.proto', {
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: [PROTO_ROOT],
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    flipt: { evaluation: { EvaluationService: grpc.ServiceClientConstructor } };
  };
  const client = new pkg.flipt.evaluation.EvaluationService(
    address,
    grpc.credentials.createInsecure(),
    options,
  ) as unknown as grpc.Client & Record<string, Call>;
  return {
    call(method, req, metadata = {}) {
      const md = new grpc.Metadata();
      for (const [k, v] of Object.entries(metadata)) md.set(k, v);
      return new Promise((resolve, reject) =>
        client[method]!.call(client, req, md, (err, res) => (err ? reject(err) : resolve(res))),
      );
    },
    channel: () => client.getChannel() as grpc.Channel,
    close: () => client.close(),
  };
}
