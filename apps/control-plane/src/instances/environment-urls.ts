/**
 * Where SDKs reach an environment. Host form when an evaluation domain is configured
 * (`https://{env}.{org}.<domain>`, one Ingress rule per environment); otherwise the path form
 * through the local edge router (`http://127.0.0.1:8088/e/{org}/{env}`). gRPC goes straight to
 * the organisation's instance (with `x-flipt-environment`) locally, or to the host name on 443.
 */
import type { ProvisioningConfig } from '../config/provisioning.config.js';

/** The URLs returned with every environment. */
export interface EnvironmentUrls {
  rest: string;
  grpc: string | null;
  ofrep: string;
}

/** Builds an environment's URLs; `instanceGrpc` is the instance's `host:port` when known. */
export function environmentUrls(
  config: Pick<ProvisioningConfig, 'edgePublicUrl' | 'evalDomain'>,
  orgSlug: string,
  envKey: string,
  instanceGrpc: string | null,
): EnvironmentUrls {
  if (config.evalDomain) {
    const host = `${envKey}.${orgSlug}.${config.evalDomain}`;
    return {
      rest: `https://${host}`,
      grpc: `${host.split(':')[0]}:443`,
      ofrep: `https://${host}/ofrep/v1`,
    };
  }
  const rest = `${config.edgePublicUrl}/e/${orgSlug}/${envKey}`;
  return { rest, grpc: instanceGrpc, ofrep: `${rest}/ofrep/v1` };
}

/** The instance's gRPC address from its observed state (set by its status reports). */
export function instanceGrpcAddress(observed: unknown): string | null {
  const o = observed as { grpcAddress?: unknown } | null | undefined;
  return typeof o?.grpcAddress === 'string' ? o.grpcAddress : null;
}
