import { Inject, Injectable } from '@nestjs/common';
import * as client from 'openid-client';
import type { AppConfig } from '../config/config.js';
import { CONFIG } from '../common/tokens.js';
import type { ResolvedConnection } from './claims-policy.js';

/** Discovery failed or disagreed with the configuration; `reason` is safe to show to the org admin. */
export class DiscoveryFailed extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * openid-client configurations per connection. Discovery runs once per connection version; the
 * discovered `issuer` must equal the configured one exactly (ID tokens are then checked against it
 * byte for byte), ID-token signatures are always verified against the JWKS, and plain-http issuers
 * are refused in production.
 */
@Injectable()
export class OidcClientService {
  private readonly cache = new Map<string, Promise<client.Configuration>>();

  constructor(@Inject(CONFIG) private readonly config: AppConfig) {}

  /** The client configuration of a connection (cached per id and version). */
  configuration(connection: ResolvedConnection): Promise<client.Configuration> {
    const key = `${connection.id}|${connection.version}`;
    let entry = this.cache.get(key);
    if (!entry) {
      entry = this.discover(connection.issuer, connection.clientId, connection.clientSecret);
      this.cache.set(key, entry);
      // A failed discovery is retried on the next login instead of being cached.
      entry.catch(() => this.cache.delete(key));
    }
    return entry;
  }

  /** Runs discovery now (on save) and checks the issuer; throws {@link DiscoveryFailed}. */
  async discover(issuer: string, clientId: string, clientSecret: string): Promise<client.Configuration> {
    const url = new URL(issuer);
    const insecure = url.protocol === 'http:';
    if (insecure && this.config.env === 'production') throw new DiscoveryFailed('issuer must use https');
    const execute = insecure ? [client.allowInsecureRequests] : [];
    let discovered: client.Configuration;
    try {
      discovered = await client.discovery(url, clientId, undefined, undefined, { execute, timeout: 5 });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string' && code.includes('JSON_ATTRIBUTE_COMPARISON')) throw new DiscoveryFailed('the discovery document names another issuer');
      throw new DiscoveryFailed('issuer is unreachable or its discovery document is invalid');
    }
    const metadata = discovered.serverMetadata();
    if (metadata.issuer !== issuer) throw new DiscoveryFailed(`the discovery document names issuer "${metadata.issuer}", not "${issuer}" (issuers are compared exactly)`);
    const methods = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    const auth = methods.includes('client_secret_basic') ? client.ClientSecretBasic(clientSecret) : client.ClientSecretPost(clientSecret);
    const configuration = new client.Configuration(metadata, clientId, { client_secret: clientSecret, id_token_signed_response_alg: 'RS256' }, auth);
    for (const extension of execute) extension(configuration);
    client.enableNonRepudiationChecks(configuration);
    return configuration;
  }
}
