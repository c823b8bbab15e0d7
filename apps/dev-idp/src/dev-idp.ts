import './quiet-oidc-warnings.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { SIGNING_KEY } from './keys.js';
import { loginPage } from './login-page.js';
import {
  CLAIMS_BY_SCOPE,
  DEFAULT_USERS,
  issuerPathFor,
  profileClaims,
  type DevIdpProfile,
  type DevIdpUser,
} from './profiles.js';
import { tamperIdToken, type IdTokenTamper } from './tamper.js';

/** A relying party registered at the dev-idp. */
export interface DevIdpClient {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs; one ending in `*` allows every URI with that prefix (one callback per connection in dev). */
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
}

/** Options of {@link startDevIdp}. */
export interface DevIdpOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  profile?: DevIdpProfile;
  users?: readonly DevIdpUser[];
  clients?: readonly DevIdpClient[];
  /** Overrides the profile's issuer path (e.g. `/oauth2/aus123` for another Okta custom server). */
  issuerPath?: string;
  /**
   * The origin browsers and relying parties use (`http://localhost:4000`), when it is not the
   * address listened on (in a container: listen on 0.0.0.0, be reached as localhost).
   */
  publicOrigin?: string;
}

/** A running provider. Test hooks change its behaviour for the next requests. */
export interface DevIdp {
  issuer: string;
  /** Origin of the server (`http://host:port`). */
  origin: string;
  profile: DevIdpProfile;
  /** Seeded users by subject; edit an entry to change the claims of the next login. */
  users: Map<string, DevIdpUser>;
  /** Test mode: rewrite every ID token the token endpoint returns (null restores normal tokens). */
  setIdTokenTamper(tamper: IdTokenTamper | null): void;
  /** Test mode: advertise another `issuer` in the discovery document (null restores it). */
  setDiscoveryIssuer(issuer: string | null): void;
  close(): Promise<void>;
}

const COOKIE_KEYS = ['switchyard-dev-idp-cookie-key-not-a-secret'];

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/**
 * Starts a local OpenID Provider on `oidc-provider`: authorization code + PKCE, a fixed JWKS, a
 * login page listing the seeded users, and claims shaped like Google, Okta or Auth0. For
 * development and tests only; production never starts it.
 */
export async function startDevIdp(options: DevIdpOptions = {}): Promise<DevIdp> {
  const host = options.host ?? '127.0.0.1';
  const profile = options.profile ?? 'generic';
  const users = new Map((options.users ?? DEFAULT_USERS).map((u) => [u.sub, { ...u }]));
  let tamper: IdTokenTamper | null = null;
  let discoveryIssuer: string | null = null;
  // Listen first: the issuer contains the port, and requests are only routed once the provider exists.
  const server = createServer();
  const port = await listen(server, options.port ?? 0, host);
  const origin = options.publicOrigin
    ? new URL(options.publicOrigin).origin
    : `http://${host}:${port}`;
  const path = options.issuerPath ?? issuerPathFor(profile);
  const issuer = `${origin}${path}`;
  const mount = path.endsWith('/') ? path.slice(0, -1) : path;

  const provider = new Provider(issuer, {
    clients: (options.clients ?? []).map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    jwks: { keys: [{ ...SIGNING_KEY }] },
    cookies: { keys: COOKIE_KEYS },
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    ttl: {
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
    claims: CLAIMS_BY_SCOPE,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `${mount}/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: () => ({ sub, ...profileClaims(profile, user) }) };
    },
  });

  // Development convenience: a registered `…/callback/*` admits each connection's own callback URL.
  const proto = provider.Client.prototype as {
    redirectUriAllowed: (this: { redirectUris?: string[] }, value: string) => boolean;
  };
  const exact = proto.redirectUriAllowed;
  proto.redirectUriAllowed = function (value) {
    const prefix = (this.redirectUris ?? [])
      .filter((u) => u.endsWith('*'))
      .map((u) => u.slice(0, -1))
      .find((p) => value.startsWith(p));
    // The wildcard stands for one path segment (a connection id), never for more of the path.
    return (
      exact.call(this, value) ||
      (prefix !== undefined && /^[A-Za-z0-9-]+$/.test(value.slice(prefix.length)))
    );
  };

  provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
    if (!match) {
      await next();
      await rewrite(ctx);
      return;
    }
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (ctx.method === 'GET') {
      ctx.type = 'html';
      ctx.body = loginPage(
        `${mount}/interaction/${details.uid}/login`,
        [...users.values()],
        profile,
      );
      return;
    }
    const login = (await readForm(ctx.req)).get('login') ?? '';
    const user = users.get(login) ?? [...users.values()].find((u) => u.email === login);
    if (!user) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = loginPage(
        `${mount}/interaction/${details.uid}/login`,
        [...users.values()],
        profile,
        'unknown user',
      );
      return;
    }
    // Consent is granted at login: a development provider has nothing to ask.
    const grant = new provider.Grant({
      accountId: user.sub,
      clientId: String(details.params['client_id']),
    });
    const scope = details.params['scope'];
    grant.addOIDCScope(typeof scope === 'string' ? scope : 'openid');
    const grantId = await grant.save();
    await provider.interactionFinished(
      ctx.req,
      ctx.res,
      { login: { accountId: user.sub }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
    ctx.respond = false;
  });

  async function rewrite(ctx: KoaContextWithOIDC): Promise<void> {
    const body = ctx.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return;
    if (discoveryIssuer && ctx.path === '/.well-known/openid-configuration')
      ctx.body = { ...body, issuer: discoveryIssuer };
    if (tamper && ctx.path === '/token' && typeof body['id_token'] === 'string') {
      ctx.body = { ...body, id_token: await tamperIdToken(body['id_token'], tamper) };
    }
  }

  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (mount) {
      if (url !== mount && !url.startsWith(`${mount}/`) && !url.startsWith(`${mount}?`)) {
        res.statusCode = 404;
        res.end();
        return;
      }
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      req.url = url.slice(mount.length) || '/';
    }
    void callback(req, res);
  });

  return {
    issuer,
    origin,
    profile,
    users,
    setIdTokenTamper: (t) => {
      tamper = t;
    },
    setDiscoveryIssuer: (i) => {
      discoveryIssuer = i;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
