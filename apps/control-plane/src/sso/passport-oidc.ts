import * as client from 'openid-client';
import { Strategy, type AuthenticateOptions, type StrategyOptions } from 'openid-client/passport';
import passport from 'passport';

/** What openid-client's strategy keeps between the redirect and the callback (our transaction stores it). */
export interface StrategyState {
  code_verifier: string;
  nonce?: string;
  state?: string;
  max_age?: number;
}

const SESSION_KEY = 'switchyard-sso';

/**
 * openid-client's passport strategy with the additions our policy needs: a `state` and a `nonce`
 * on every request (the stock strategy sends `state` only without PKCE support and `nonce` only for
 * implicit flows), extra authorization parameters (Auth0 `organization`), and a current URL built
 * from the registered callback URL, never from the Host header.
 */
class SwitchyardStrategy extends Strategy {
  constructor(
    options: StrategyOptions,
    private readonly callbackUrl: string,
    private readonly extraParams: Record<string, string>,
  ) {
    super(
      options,
      (
        tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
        done: passport.AuthenticateCallback,
      ) => {
        done(null, tokens);
      },
    );
  }

  override authorizationRequestParams<TOptions extends AuthenticateOptions>(
    req: unknown,
    options: TOptions,
  ): URLSearchParams {
    const params = super.authorizationRequestParams(req as never, options) as URLSearchParams;
    params.set('state', client.randomState());
    params.set('nonce', client.randomNonce());
    for (const [k, v] of Object.entries(this.extraParams)) params.set(k, v);
    return params;
  }

  override currentUrl(req: unknown): URL {
    const url = new URL(this.callbackUrl);
    url.search = new URL((req as { url: string }).url, 'http://placeholder.invalid').search;
    return url;
  }
}

/** The result of running the strategy once. */
export type PassportOutcome =
  | { kind: 'redirect'; location: string; state: StrategyState }
  | { kind: 'success'; tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers }
  | { kind: 'fail'; reason: string; oauthError?: string }
  | { kind: 'error'; error: unknown };

/** Inputs for {@link runPassport}. */
export interface PassportRun {
  config: client.Configuration;
  callbackUrl: string;
  /** Path and query of the current request (the callback's query carries code, state, iss). */
  url: string;
  /** Saved state for a callback; absent when starting a login. */
  state?: StrategyState;
  extraParams?: Record<string, string>;
}

/**
 * Runs passport with the openid-client strategy against a minimal request/response pair (the
 * Fastify shim: passport only needs `session`, `method`, `url`, and `statusCode`/`setHeader`/`end`).
 * No passport session is used: the caller keeps state in the login transaction and opens our own
 * server-side session afterwards.
 */
export function runPassport(run: PassportRun): Promise<PassportOutcome> {
  const strategy = new SwitchyardStrategy(
    {
      config: run.config,
      scope: 'openid email profile',
      callbackURL: run.callbackUrl,
      sessionKey: SESSION_KEY,
    },
    run.callbackUrl,
    run.extraParams ?? {},
  );
  const session: Record<string, StrategyState | undefined> = run.state
    ? { [SESSION_KEY]: { ...run.state } }
    : {};
  const req = {
    method: 'GET',
    url: run.url,
    originalUrl: run.url,
    session,
    query: {},
    headers: {},
  };
  return new Promise<PassportOutcome>((resolve) => {
    const headers = new Map<string, string>();
    const res = {
      statusCode: 200,
      setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), String(value)),
      end: () => {
        const location = headers.get('location');
        const state = session[SESSION_KEY];
        if (location && state) resolve({ kind: 'redirect', location, state });
        else resolve({ kind: 'error', error: new Error('strategy ended without a redirect') });
      },
    };
    const callback: passport.AuthenticateCallback = (err, user, info) => {
      if (err) resolve({ kind: 'error', error: err });
      else if (!user) {
        const oauthError = (info as { error?: unknown } | undefined)?.error;
        resolve({
          kind: 'fail',
          reason: describe(info),
          ...(typeof oauthError === 'string' ? { oauthError } : {}),
        });
      } else
        resolve({
          kind: 'success',
          tokens: user as client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
        });
    };
    const middleware = passport.authenticate(strategy, { session: false }, callback) as (
      rq: unknown,
      rs: unknown,
      next: (e?: unknown) => void,
    ) => void;
    middleware(req, res, (e?: unknown) =>
      resolve({ kind: 'error', error: e ?? new Error('passport called next') }),
    );
  });
}

function describe(info: unknown): string {
  if (info && typeof info === 'object' && 'message' in info && typeof info.message === 'string')
    return info.message;
  return 'authentication failed';
}

/**
 * The code grant the strategy performs, called directly with the same checks (PKCE verifier,
 * nonce, state). Used for a second validation pass of an already received token response, where a
 * passport strategy cannot be built (its constructor needs a URL-shaped issuer).
 */
export async function codeGrant(
  config: client.Configuration,
  callbackUrl: string,
  url: string,
  state: StrategyState,
): Promise<PassportOutcome> {
  const current = new URL(callbackUrl);
  current.search = new URL(url, 'http://placeholder.invalid').search;
  try {
    const checks = {
      pkceCodeVerifier: state.code_verifier,
      ...(state.nonce ? { expectedNonce: state.nonce } : {}),
      ...(state.state ? { expectedState: state.state } : {}),
    };
    return {
      kind: 'success',
      tokens: await client.authorizationCodeGrant(config, current, checks),
    };
  } catch (error) {
    return { kind: 'error', error };
  }
}
