import { createHash, randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH0_ROLES_CLAIM, startDevIdp, type DevIdp, type DevIdpProfile } from '../src/index.js';

const REDIRECT = 'http://127.0.0.1:9/cb';
let idp: DevIdp | undefined;
afterEach(async () => {
  await idp?.close();
  idp = undefined;
});

/** Runs the code flow by hand (fetch + redirects) and returns the token response. */
async function login(p: DevIdp, sub: string): Promise<{ id_token: string }> {
  const meta = (await (
    await fetch(`${p.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)
  ).json()) as Record<string, string>;
  const verifier = randomBytes(32).toString('base64url');
  const auth = new URL(meta['authorization_endpoint']!);
  auth.search = new URLSearchParams({
    client_id: 'rp',
    response_type: 'code',
    scope: 'openid email profile',
    redirect_uri: REDIRECT,
    state: 's',
    nonce: 'n',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const jar = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return res;
  };
  let res = await go(auth.href);
  let location = new URL(res.headers.get('location')!, auth).href;
  res = await go(location);
  expect(await res.text()).toContain('Switchyard development sign-in');
  res = await go(`${location}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `login=${sub}`,
  });
  while (res.status >= 300 && res.status < 400) {
    location = new URL(res.headers.get('location')!, location).href;
    if (location.startsWith(REDIRECT)) break;
    res = await go(location);
  }
  const code = new URL(location).searchParams.get('code')!;
  expect(new URL(location).searchParams.get('iss')).toBe(p.issuer);
  const token = await fetch(meta['token_endpoint']!, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from('rp:secret').toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    }),
  });
  expect(token.status).toBe(200);
  return (await token.json()) as { id_token: string };
}

const clients = [{ clientId: 'rp', clientSecret: 'secret', redirectUris: [REDIRECT] }];

describe('dev-idp', () => {
  it.each<[DevIdpProfile, string, Record<string, unknown>]>([
    ['google', '', { hd: 'example.com', email_verified: true }],
    ['okta', '', { groups: ['switchyard-admins', 'everyone'] }],
    ['okta-custom', '/oauth2/default', { groups: ['switchyard-admins', 'everyone'] }],
    ['auth0', '/', { org_id: 'org_example', [AUTH0_ROLES_CLAIM]: ['admin'] }],
  ])('%s: issuer shape and claims in a signed ID token', async (profile, path, claims) => {
    idp = await startDevIdp({ profile, clients });
    expect(idp.issuer).toBe(`${idp.origin}${path}`);
    const { id_token } = await login(idp, 'alice');
    const jwks = createRemoteJWKSet(new URL(`${idp.issuer.replace(/\/$/, '')}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(id_token, jwks, {
      issuer: idp.issuer,
      audience: 'rp',
    });
    expect(protectedHeader.kid).toBe('dev-idp-1');
    expect(payload).toMatchObject({
      sub: 'alice',
      nonce: 'n',
      email: 'alice@example.com',
      ...claims,
    });
  });

  it('advertises its public origin when it listens on another address (a container: 0.0.0.0)', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    idp = await startDevIdp({
      host: '0.0.0.0',
      port,
      clients,
      publicOrigin: `http://127.0.0.1:${port}/`,
    });
    expect(idp.issuer).toBe(`http://127.0.0.1:${port}`);
    const { id_token } = await login(idp, 'carol');
    expect(decodeJwt(id_token)).toMatchObject({ iss: `http://127.0.0.1:${port}`, sub: 'carol' });
  });

  it('mints broken tokens in test mode and lies about its issuer on request', async () => {
    idp = await startDevIdp({ profile: 'generic', clients });
    idp.setIdTokenTamper({ claims: { aud: 'someone-else', iat: undefined }, sign: 'rogue-key' });
    const { id_token } = await login(idp, 'bob');
    const claims = decodeJwt(id_token);
    expect(claims.aud).toBe('someone-else');
    expect(claims.iat).toBeUndefined();
    const jwks = createRemoteJWKSet(new URL(`${idp.issuer}/jwks`));
    await expect(jwtVerify(id_token, jwks)).rejects.toThrow(/signature/);
    idp.setDiscoveryIssuer('https://evil.example');
    const meta = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
    };
    expect(meta.issuer).toBe('https://evil.example');
  });
});
