/**
 * Where SDKs reach an environment. Host form when an evaluation domain is configured
 * (`{env}.{org}.<domain>`, one Ingress rule per environment, or the edge routing by host name);
 * otherwise the path form through the edge (`http://127.0.0.1:8088/e/{org}/{env}`). gRPC goes
 * through the host form when there is one (gRPC clients take `host:port`, no path prefix: the edge
 * serves HTTP/2 and the Ingress a gRPC backend), otherwise straight to the organisation's instance
 * (with `x-flipt-environment`).
 */
import type { ProvisioningConfig } from '../config/provisioning.config.js';

/** The URLs returned with every environment. */
export interface EnvironmentUrls {
  rest: string;
  grpc: string | null;
  /** The base URL `@openfeature/ofrep-provider` takes: it appends `/ofrep/v1/…` itself. */
  ofrep: string;
}

/**
 * Builds an environment's URLs; `instanceGrpc` is the instance's `host:port` when known. In host
 * form the scheme follows `EDGE_PUBLIC_URL` (https in the cloud, http for a local edge) and the
 * port is the one `EVAL_DOMAIN` names, else the scheme's default.
 */
export function environmentUrls(
  config: Pick<ProvisioningConfig, 'edgePublicUrl' | 'evalDomain'>,
  orgSlug: string,
  envKey: string,
  instanceGrpc: string | null,
): EnvironmentUrls {
  if (config.evalDomain) {
    const host = `${envKey}.${orgSlug}.${config.evalDomain}`;
    const scheme = new URL(config.edgePublicUrl).protocol === 'http:' ? 'http' : 'https';
    const port = /:(\d+)$/.exec(host)?.[1] ?? (scheme === 'https' ? '443' : '80');
    const rest = `${scheme}://${host}`;
    return { rest, grpc: `${host.replace(/:\d+$/, '')}:${port}`, ofrep: rest };
  }
  const rest = `${config.edgePublicUrl}/e/${orgSlug}/${envKey}`;
  return { rest, grpc: instanceGrpc, ofrep: rest };
}

/** The instance's gRPC address from its observed state (set by its status reports). */
export function instanceGrpcAddress(observed: unknown): string | null {
  const o = observed as { grpcAddress?: unknown } | null | undefined;
  return typeof o?.grpcAddress === 'string' ? o.grpcAddress : null;
}
