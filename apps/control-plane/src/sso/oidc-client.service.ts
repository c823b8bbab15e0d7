import { Inject, Injectable } from '@nestjs/common';
import * as client from 'openid-client';
import type { AppConfig } from '../config/config.js';
import { CONFIG } from '../common/tokens.js';
import { isSwitchyardError } from '@switchyard/flags';
import { policyFetch, type PolicyFetch } from '@switchyard/git-store';
import type { ResolvedConnection } from './claims-policy.js';

/** Discovery failed or disagreed with the configuration; `reason` is safe to show to the org admin. */
export class DiscoveryFailed extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Per-login options of {@link OidcClientService.configuration}. */
export interface LoginClientOptions {
  /** Receives the raw token endpoint response body (kept in memory for one login). */
  captureTokenResponse?: (body: string) => void;
  /** Answers the token endpoint from this body instead of calling the IdP again. */
  replayTokenResponse?: string;
  /** Expect this `iss` instead of the discovered one (Google's scheme-less legacy spelling only). */
  issuerOverride?: string;
}

/** Google documents ID tokens whose `iss` is `accounts.google.com`, without the scheme. */
export function legacyIssuerSpelling(issuer: string): string {
  return issuer.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

/**
 * openid-client configurations per connection. Discovery runs once per connection version; the
 * discovered `issuer` must equal the configured one exactly (ID tokens are then checked against it
 * byte for byte), ID-token signatures are always verified against the JWKS (RS256 only), and
 * plain-http issuers are refused in production. Every request to the provider (discovery, token,
 * userinfo, JWKS) goes through the one address policy (libs/git-store) with the checked address
 * pinned, in every mode: a provider on a private address needs its exact origin in
 * OUTBOUND_ALLOWED_ORIGINS. Each login gets its own Configuration object so per-login fetch hooks
 * never leak between concurrent logins.
 */
@Injectable()
export class OidcClientService {
  private readonly cache = new Map<string, Promise<client.ServerMetadata>>();
  /** fetch through the address policy; refusals name the `issuer` field. */
  private readonly fetch: PolicyFetch;

  constructor(@Inject(CONFIG) private readonly config: AppConfig) {
    this.fetch = policyFetch(
      { allowedOrigins: config.outbound.allowedOrigins },
      { field: 'issuer', timeoutMs: 5_000 },
    );
  }

  /** A fresh client configuration for one login through `connection` (discovery cached per id and version). */
  async configuration(
    connection: ResolvedConnection,
    options: LoginClientOptions = {},
  ): Promise<client.Configuration> {
    const key = `${connection.id}|${connection.version}`;
    let entry = this.cache.get(key);
    if (!entry) {
      entry = this.fetchMetadata(connection.issuer);
      this.cache.set(key, entry);
      // A failed discovery is retried on the next login instead of being cached.
      entry.catch(() => this.cache.delete(key));
    }
    const metadata = await entry;
    return this.build(
      options.issuerOverride ? { ...metadata, issuer: options.issuerOverride } : metadata,
      connection.clientId,
      connection.clientSecret,
      options,
    );
  }

  /**
   * Runs discovery now (on saving an org connection) and checks the issuer; throws
   * {@link DiscoveryFailed}, also when the address policy refuses the issuer's host.
   */
  async discover(
    issuer: string,
    clientId: string,
    clientSecret: string,
  ): Promise<client.Configuration> {
    return this.build(await this.fetchMetadata(issuer), clientId, clientSecret, {});
  }

  private async fetchMetadata(issuer: string): Promise<client.ServerMetadata> {
    const url = new URL(issuer);
    const insecure = url.protocol === 'http:';
    if (insecure && this.config.env === 'production')
      throw new DiscoveryFailed('issuer must use https');
    let discovered: client.Configuration;
    try {
      discovered = await client.discovery(url, 'discovery', undefined, undefined, {
        execute: insecure ? [client.allowInsecureRequests] : [],
        timeout: 5,
        [client.customFetch]: this.fetch,
      });
    } catch (e) {
      const refusal = policyRefusal(e);
      if (refusal) throw new DiscoveryFailed(refusal);
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string' && code.includes('JSON_ATTRIBUTE_COMPARISON'))
        throw new DiscoveryFailed('the discovery document names another issuer');
      throw new DiscoveryFailed('issuer is unreachable or its discovery document is invalid');
    }
    const metadata = discovered.serverMetadata();
    if (metadata.issuer !== issuer)
      throw new DiscoveryFailed(
        `the discovery document names issuer "${metadata.issuer}", not "${issuer}" (issuers are compared exactly)`,
      );
    return metadata;
  }

  private build(
    metadata: client.ServerMetadata,
    clientId: string,
    clientSecret: string,
    options: LoginClientOptions,
  ): client.Configuration {
    const methods = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    const auth = methods.includes('client_secret_basic')
      ? client.ClientSecretBasic(clientSecret)
      : client.ClientSecretPost(clientSecret);
    const configuration = new client.Configuration(
      metadata,
      clientId,
      { client_secret: clientSecret, id_token_signed_response_alg: 'RS256' },
      auth,
    );
    if (metadata.token_endpoint?.startsWith('http:') || metadata.jwks_uri?.startsWith('http:')) {
      if (this.config.env === 'production')
        throw new DiscoveryFailed('provider endpoints must use https');
      client.allowInsecureRequests(configuration);
    }
    client.enableNonRepudiationChecks(configuration);
    const { captureTokenResponse, replayTokenResponse } = options;
    const fetch = this.fetch;
    configuration[client.customFetch] = async (url, init) => {
      if (
        url !== metadata.token_endpoint ||
        (!captureTokenResponse && replayTokenResponse === undefined)
      )
        return fetch(url, init);
      if (replayTokenResponse !== undefined)
        return new Response(replayTokenResponse, {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      const res = await fetch(url, init);
      captureTokenResponse?.(await res.clone().text());
      return res;
    };
    return configuration;
  }
}

/** The address policy's refusal reason inside an openid-client error, if that is what failed. */
function policyRefusal(e: unknown): string | undefined {
  for (let cause: unknown = e; cause; cause = (cause as { cause?: unknown }).cause) {
    if (isSwitchyardError(cause, 'InvalidArgument'))
      return cause.details[0]?.message ?? cause.message;
  }
  return undefined;
}
