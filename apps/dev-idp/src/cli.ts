#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startDevIdp } from './dev-idp.js';
import { PROFILES, type DevIdpProfile } from './profiles.js';

// `switchyard-dev-idp --port 4000 --profile google --client id:secret:redirect[,redirect]
//  [--host 0.0.0.0 --public-origin http://localhost:4000]`
// Development only: refuses to start when NODE_ENV=production.
async function main(): Promise<void> {
  if (process.env['NODE_ENV'] === 'production')
    throw new Error('the dev-idp never runs in production');
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4000' },
      host: { type: 'string', default: '127.0.0.1' },
      profile: { type: 'string', default: 'generic' },
      client: { type: 'string', multiple: true, default: [] },
      // The origin in the issuer when it is not http://HOST:PORT (in a container: --host 0.0.0.0).
      'public-origin': { type: 'string' },
    },
  });
  const profile = values.profile as DevIdpProfile;
  if (!PROFILES.includes(profile))
    throw new Error(`--profile must be one of ${PROFILES.join(', ')}`);
  const clients = values.client.map((spec) => {
    const [clientId, clientSecret, ...rest] = spec.split(':');
    const redirectUris = rest.join(':').split(',').filter(Boolean);
    if (!clientId || !clientSecret || redirectUris.length === 0)
      throw new Error(`--client ${spec}: expected id:secret:redirect[,redirect]`);
    return {
      clientId,
      clientSecret,
      redirectUris,
      postLogoutRedirectUris: redirectUris.map((u) => new URL('/', u).href),
    };
  });
  const idp = await startDevIdp({
    port: Number(values.port),
    host: values.host,
    profile,
    clients,
    publicOrigin: values['public-origin'],
  });
  process.stdout.write(`dev-idp (${profile}) issuer ${idp.issuer}\n`);
  const stop = () => void idp.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
