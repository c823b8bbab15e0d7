/** What the environment page needs to render ready-to-paste snippets. */
export interface SnippetInput {
  envKey: string;
  urls: { rest: string; grpc: string | null; ofrep: string };
  /** A real token when one was just created; otherwise a placeholder. */
  token?: string;
  flagKey?: string;
}

const TOKEN = '$SWITCHYARD_TOKEN';

/** Ready-to-paste snippets per SDK, keyed by a stable id (used for tab ids). */
export function snippets({
  envKey,
  urls,
  token,
  flagKey = 'new-checkout',
}: SnippetInput): { id: string; label: string; code: string }[] {
  const t = token ?? TOKEN;
  const out = [
    {
      id: 'curl',
      label: 'curl',
      code: `curl -s ${urls.rest}/evaluate/v1/boolean \\\n  -H "Authorization: Bearer ${t}" -H 'Content-Type: application/json' \\\n  -d '{"namespaceKey":"default","flagKey":"${flagKey}","entityId":"user-1","context":{}}'`,
    },
    {
      id: 'rest-sdk',
      label: 'Flipt REST SDK (Node)',
      code: `import { ClientTokenAuthentication, FliptClient } from '@flipt-io/flipt';\n\nconst flipt = new FliptClient({\n  url: '${urls.rest}',\n  authenticationStrategy: new ClientTokenAuthentication(process.env.SWITCHYARD_TOKEN),\n});\nconst { enabled } = await flipt.evaluation.boolean({\n  namespaceKey: 'default', flagKey: '${flagKey}', entityId: 'user-1', context: {},\n});`,
    },
    {
      id: 'client-sdk',
      label: 'Client-side SDK',
      code: `import { FliptClient } from '@flipt-io/flipt-client-js';\n\nconst flipt = await FliptClient.init({\n  url: '${urls.rest}', namespace: 'default', environment: '${envKey}',\n  authentication: { clientToken: '${t}' },\n});\nconst { enabled } = flipt.evaluateBoolean({ flagKey: '${flagKey}', entityId: 'user-1', context: {} });`,
    },
    {
      id: 'ofrep',
      label: 'OpenFeature (OFREP)',
      code: `curl -s ${urls.ofrep}/ofrep/v1/evaluate/flags/${flagKey} \\\n  -H "Authorization: Bearer ${t}" -H 'Content-Type: application/json' \\\n  -d '{"context":{"targetingKey":"user-1"}}'\n\n// or with @openfeature/ofrep-web-provider:\n// new OFREPWebProvider({ baseUrl: '${urls.ofrep}', headers: [['Authorization', 'Bearer ${t}']] })`,
    },
  ];
  if (urls.grpc) {
    const plaintext = /:443$/.test(urls.grpc) ? '' : '-plaintext ';
    out.push({
      id: 'grpc',
      label: 'gRPC',
      // Instances do not serve gRPC reflection, so grpcurl reads the service from Flipt's proto.
      code: `# evaluation.proto: github.com/flipt-io/flipt/blob/main/rpc/flipt/evaluation/evaluation.proto\ngrpcurl ${plaintext}-proto evaluation.proto \\\n  -H "authorization: Bearer ${t}" -H 'x-flipt-environment: ${envKey}' \\\n  -d '{"namespaceKey":"default","flagKey":"${flagKey}","entityId":"user-1"}' \\\n  ${urls.grpc} flipt.evaluation.EvaluationService/Boolean`,
    });
  }
  return out;
}
