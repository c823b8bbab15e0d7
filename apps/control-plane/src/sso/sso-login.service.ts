import { Inject, Injectable } from '@nestjs/common';
import * as client from 'openid-client';
import type { Logger } from 'pino';
import { withTransaction, type Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { AuditService } from '../audit/audit.service.js';
import { readCookie } from '../auth/authenticator.service.js';
import { SESSION_COOKIE, SessionsService } from '../auth/sessions.service.js';
import { open, safeEqual, seal, sha256, type Keys } from '../common/crypto.js';
import type { RequestContext } from '../common/request-context.js';
import { CONFIG, DB, KEYS, LOGGER } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { ClaimsRejected, decide, type ResolvedConnection } from './claims-policy.js';
import {
  JitProvisioningService,
  LoginNeedsLinking,
  type LoginIdentity,
} from './jit-provisioning.service.js';
import {
  LOGIN_COOKIE,
  LOGIN_TTL_MS,
  LoginTransactionsRepository,
} from './login-transactions.repository.js';
import {
  legacyIssuerSpelling,
  OidcClientService,
  type LoginClientOptions,
} from './oidc-client.service.js';
import {
  codeGrant,
  runPassport,
  type PassportOutcome,
  type StrategyState,
} from './passport-oidc.js';
import { safeReturnTo } from './return-to.js';
import { SsoConnectionsService } from './sso-connections.service.js';
import { loginError, type LoginErrorCode } from './login-errors.js';
import { ssoRequiredFor } from './sso-enforcement.service.js';

/** Where the request came from, for the logs. */
export interface LoginRequest {
  ip: string;
  requestId: string;
  cookieHeader: string | undefined;
  userAgent: string | undefined;
  /** `Sec-Fetch-Site` as sent by the browser. */
  fetchSite?: string | undefined;
}

/** A response the controller turns into a redirect. */
export interface LoginRedirect {
  location: string;
  setCookies: string[];
}

// A token issued before the login started (plus clock skew) belongs to another login.
const IAT_SKEW_MS = 60_000;

function idTokenAad(sessionId: string): string {
  return `sso-session|${sessionId}`;
}

function reasonOf(e: unknown): string {
  if (e instanceof ClaimsRejected) return e.reason;
  // openid-client wraps the precise check that failed in `cause`; messages name claims, never values.
  const err = e as {
    code?: unknown;
    message?: unknown;
    error?: unknown;
    cause?: { message?: unknown };
  };
  let message = typeof err.message === 'string' ? err.message : 'unknown error';
  // OAuth error responses (token endpoint, authorization response) carry their `error` code.
  if (typeof err.error === 'string') message = `${message} (error=${err.error.slice(0, 100)})`;
  if (typeof err.cause?.message === 'string' && err.cause.message !== message)
    message = `${message} (${err.cause.message})`;
  return typeof err.code === 'string' ? `${err.code}: ${message}` : message;
}

/** The sign-in page's code for a refusal by the strategy (`fail`: no user, a reason text). */
function codeOfFail(reason: string, oauthError: string | undefined): LoginErrorCode {
  // The user cancelled, or the IdP refused them at its own page (RFC 6749 §4.1.2.1).
  if (oauthError === 'access_denied') return 'idp-denied';
  return /\bstate\b/i.test(reason) ? 'state-expired' : 'refused';
}

const NETWORK =
  /fetch failed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|socket|network|timed? ?out|abort/i;

/** The sign-in page's code for an error of the authorization response or the token request. */
function codeOfError(e: unknown): LoginErrorCode {
  const err = e as { error?: unknown; cause?: unknown; name?: unknown };
  if (err.error === 'access_denied') return 'idp-denied';
  const text = reasonOf(e);
  // The token endpoint (or the JWKS) could not be reached: network error, timeout.
  if (
    e instanceof TypeError ||
    err.cause instanceof TypeError ||
    err.name === 'AbortError' ||
    err.name === 'TimeoutError' ||
    NETWORK.test(text)
  )
    return 'idp-unavailable';
  return /\bstate\b/i.test(text) ? 'state-expired' : 'refused';
}

/**
 * The login use cases: start (redirect to the IdP with PKCE, state and nonce, remembered in a
 * one-time transaction), callback (openid-client validates the response and the ID token, then our
 * claim policy, JIT provisioning and a brand-new session) and logout (RP-initiated).
 */
@Injectable()
export class SsoLoginService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(KEYS) private readonly keys: Keys,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly connections: SsoConnectionsService,
    private readonly oidc: OidcClientService,
    private readonly transactions: LoginTransactionsRepository,
    private readonly jit: JitProvisioningService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * A refused login: the precise reason goes to the log only; the API answers a generic 401 and a
   * browser is sent to the sign-in page with `code` (see `login-errors.ts`).
   */
  private failure(
    req: LoginRequest,
    connectionId: string,
    reason: string,
    code: LoginErrorCode = 'refused',
  ): never {
    this.logger.warn(
      { event: 'auth.failure', reason, code, connectionId, ip: req.ip, requestId: req.requestId },
      'login refused',
    );
    throw loginError('Unauthenticated', 'login failed', code);
  }

  /**
   * A link must be started by the signed-in user themself: their session cookie, its CSRF token
   * (a cross-site page cannot read it) and not a cross-site navigation. Otherwise a page could make
   * a victim's browser link the attacker's identity to the victim's account.
   */
  private async linkingUser(req: LoginRequest, csrf: string | undefined): Promise<string> {
    const secret = readCookie(req.cookieHeader, SESSION_COOKIE);
    if (!secret)
      throw loginError(
        'Unauthenticated',
        'sign in first: linking attaches an identity to the signed-in account',
        'sign-in-required',
      );
    const principal = await this.sessions.resolve(secret);
    if (req.fetchSite === 'cross-site') throw errors.permissionDenied('cross-site request refused');
    if (typeof csrf !== 'string' || !safeEqual(csrf, this.sessions.csrfToken(secret)))
      throw errors.permissionDenied('missing or invalid csrf (the session’s CSRF token)');
    return principal.userId;
  }

  /** The linking user's session must still be the one the callback arrives with. */
  private async sameLinkingUser(req: LoginRequest, linkUserId: string): Promise<boolean> {
    const secret = readCookie(req.cookieHeader, SESSION_COOKIE);
    if (!secret) return false;
    try {
      return (await this.sessions.resolve(secret)).userId === linkUserId;
    } catch {
      return false;
    }
  }

  private async configuration(
    req: LoginRequest,
    connection: ResolvedConnection,
    options: LoginClientOptions = {},
  ): Promise<client.Configuration> {
    try {
      return await this.oidc.configuration(connection, options);
    } catch (e) {
      this.logger.warn(
        {
          event: 'auth.failure',
          reason: `discovery: ${reasonOf(e)}`,
          connectionId: connection.id,
          ip: req.ip,
          requestId: req.requestId,
        },
        'login refused',
      );
      throw loginError('Unavailable', 'the identity provider is unavailable', 'idp-unavailable');
    }
  }

  /** Starts a login: returns the IdP authorization URL and the transaction cookie. */
  async start(
    req: LoginRequest,
    connectionId: string,
    returnTo: string | undefined,
    link: { csrf: string | undefined } | null = null,
  ): Promise<LoginRedirect> {
    const linkUserId = link ? await this.linkingUser(req, link.csrf) : null;
    const connection = await this.connections.resolve(connectionId);
    if (!connection) {
      this.logger.warn(
        {
          event: 'auth.failure',
          reason: 'unknown connection',
          connectionId,
          ip: req.ip,
          requestId: req.requestId,
        },
        'login refused',
      );
      throw loginError('NotFound', 'SSO connection not found', 'unknown-connection');
    }
    if (!connection.enabled) {
      this.logger.warn(
        {
          event: 'auth.failure',
          reason: 'connection disabled',
          connectionId,
          ip: req.ip,
          requestId: req.requestId,
        },
        'login refused',
      );
      throw loginError(
        'FailedPrecondition',
        'this SSO connection is turned off; ask an administrator of the organisation',
        'connection-disabled',
      );
    }
    const config = await this.configuration(req, connection);
    const extraParams: Record<string, string> = connection.auth0Organization
      ? { organization: connection.auth0Organization }
      : {};
    const outcome = await runPassport({
      config,
      callbackUrl: this.connections.callbackUrl(connection.id),
      url: '/api/v1/auth/login',
      extraParams,
    });
    if (outcome.kind !== 'redirect')
      throw outcome.kind === 'error' ? outcome.error : errors.internal();
    const { cookieValue } = await this.transactions.create({
      connectionId: connection.id,
      returnTo: safeReturnTo(returnTo),
      expectedIssuer: config.serverMetadata().issuer,
      state: outcome.state,
      linkUserId,
    });
    this.logger.info(
      {
        event: 'auth.login_started',
        connectionId: connection.id,
        link: linkUserId !== null,
        ip: req.ip,
        requestId: req.requestId,
      },
      'login started',
    );
    return {
      location: outcome.location,
      setCookies: [this.transactions.cookie(cookieValue, LOGIN_TTL_MS / 1000)],
    };
  }

  /** Completes a login on the connection's own callback URL. `url` is the request path with the IdP's query. */
  async callback(req: LoginRequest, connectionId: string, url: string): Promise<LoginRedirect> {
    const txCookie = readCookie(req.cookieHeader, LOGIN_COOKIE);
    if (!txCookie) this.failure(req, connectionId, 'no login transaction cookie', 'state-expired');
    // Taken (deleted) before anything else: whatever happens next, this transaction is spent.
    const tx = await this.transactions.take(txCookie);
    if (!tx)
      this.failure(req, connectionId, 'unknown, used or swept login transaction', 'state-expired');
    if (tx.expiresAt.getTime() <= Date.now())
      this.failure(req, connectionId, 'login transaction expired', 'state-expired');
    if (tx.connectionId !== connectionId)
      this.failure(
        req,
        connectionId,
        `callback for connection ${connectionId} carries a transaction of ${tx.connectionId} (mix-up)`,
      );
    if (tx.linkUserId !== null && !(await this.sameLinkingUser(req, tx.linkUserId)))
      this.failure(
        req,
        connectionId,
        'link: the callback does not carry the session of the user who started the link',
        'sign-in-required',
      );
    const connection = await this.connections.resolve(connectionId);
    if (!connection)
      this.failure(req, connectionId, 'connection no longer exists', 'unknown-connection');
    if (!connection.enabled)
      this.failure(
        req,
        connectionId,
        'connection disabled during the login',
        'connection-disabled',
      );
    // Google only: keep the token response in memory in case its ID token uses the legacy issuer spelling.
    let captured: string | undefined;
    const google = connection.kind === 'GOOGLE';
    const config = await this.configuration(
      req,
      connection,
      google ? { captureTokenResponse: (body) => (captured = body) } : {},
    );
    if (config.serverMetadata().issuer !== tx.expectedIssuer)
      this.failure(req, connectionId, 'connection issuer changed during the login');

    const callbackUrl = this.connections.callbackUrl(connectionId);
    let outcome = await runPassport({ config, callbackUrl, url, state: tx.state });
    if (google && outcome.kind === 'error' && captured !== undefined)
      outcome =
        (await this.legacyGoogleIssuer(connection, tx.state, callbackUrl, url, captured)) ??
        outcome;
    if (outcome.kind === 'fail')
      this.failure(
        req,
        connectionId,
        outcome.reason,
        codeOfFail(outcome.reason, outcome.oauthError),
      );
    if (outcome.kind === 'error')
      this.failure(req, connectionId, reasonOf(outcome.error), codeOfError(outcome.error));
    if (outcome.kind !== 'success') this.failure(req, connectionId, 'unexpected strategy outcome');
    const claims = outcome.tokens.claims();
    const idToken = outcome.tokens.id_token;
    if (!claims || !idToken) this.failure(req, connectionId, 'no ID token in the token response');
    if (typeof claims.iat !== 'number' || claims.iat * 1000 < tx.createdAt.getTime() - IAT_SKEW_MS)
      this.failure(req, connectionId, 'ID token issued before the login started');

    const userId = await this.provision(
      req,
      connection,
      {
        issuer: tx.expectedIssuer,
        subject: claims.sub,
        emailVerified: claims['email_verified'] === true,
      },
      claims,
      tx.linkUserId,
    );

    // Never reuse a session id across a login (fixation): a session presented now is ended.
    const previous = readCookie(req.cookieHeader, SESSION_COOKIE);
    if (previous) await this.db.session.deleteMany({ where: { tokenHash: sha256(previous) } });
    const session = await this.sessions.create(userId, {
      ip: req.ip,
      ...(req.userAgent ? { userAgent: req.userAgent } : {}),
    });
    const ctx = {
      principal: {
        userId,
        email: typeof claims['email'] === 'string' ? claims['email'] : '',
        via: 'session' as const,
        sessionId: session.id,
      },
      requestId: req.requestId,
    };
    await withTransaction(this.db, async (dbTx) => {
      await dbTx.ssoSession.create({
        data: {
          sessionId: session.id,
          connectionId,
          idTokenCiphertext: seal(this.keys.encryption, idToken, idTokenAad(session.id)),
        },
      });
      await this.audit.record(dbTx, ctx, {
        orgId: null,
        action: 'session.create',
        targetType: 'session',
        targetId: session.id,
        after: { connectionId, issuer: tx.expectedIssuer },
      });
    });
    this.logger.info(
      {
        event: 'auth.success',
        connectionId,
        userId,
        issuer: claims.iss,
        subject: claims.sub,
        ip: req.ip,
        requestId: req.requestId,
      },
      'login succeeded',
    );
    // Signed in, but the organisation the user was heading to requires its own SSO: say so, and
    // name the connection (the user is a member, so this tells nothing new).
    const required = await ssoRequiredFor(this.db, userId, connectionId, tx.returnTo);
    return {
      location: required
        ? `/login?${new URLSearchParams({ error: 'sso-required', connection: required, returnTo: tx.returnTo }).toString()}`
        : tx.returnTo,
      setCookies: [session.setCookie, this.transactions.cookie('', 0)],
    };
  }

  /** Claim policy and JIT provisioning; a refusal the user must read is a 409 with its message, any other a 401. */
  private async provision(
    req: LoginRequest,
    connection: ResolvedConnection,
    who: LoginIdentity,
    claims: Record<string, unknown>,
    linkUserId: string | null,
  ): Promise<string> {
    try {
      const decision = decide(connection, claims);
      for (const warning of decision.warnings)
        this.logger.warn(
          {
            event: 'auth.claims_warning',
            connectionId: connection.id,
            warning,
            requestId: req.requestId,
          },
          'claims warning',
        );
      return await this.jit.provision(connection, who, decision, req.requestId, linkUserId);
    } catch (e) {
      if (e instanceof LoginNeedsLinking) {
        this.logger.warn(
          {
            event: 'auth.failure',
            reason: e.reason,
            connectionId: connection.id,
            ip: req.ip,
            requestId: req.requestId,
          },
          'login refused',
        );
        throw loginError('Conflict', e.userMessage, e.loginCode);
      }
      if (e instanceof ClaimsRejected) this.failure(req, connection.id, e.reason, e.loginCode);
      throw e;
    }
  }

  /**
   * Google's ID tokens may carry `iss: accounts.google.com` (no scheme). Only for GOOGLE connections,
   * and only when the token says exactly that, the captured token response is validated once more
   * (signature, aud, exp, iat, nonce, everything) against the scheme-less issuer, without calling
   * Google again. The authorization response and its `iss` parameter already passed against the
   * canonical issuer in the first pass (the token endpoint is only called after that).
   */
  private async legacyGoogleIssuer(
    connection: ResolvedConnection,
    state: StrategyState,
    callbackUrl: string,
    url: string,
    captured: string,
  ): Promise<PassportOutcome | null> {
    let iss: unknown;
    try {
      const idToken = (JSON.parse(captured) as { id_token?: unknown }).id_token;
      if (typeof idToken !== 'string') return null;
      iss = (
        JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
          iss?: unknown;
        }
      ).iss;
    } catch {
      return null;
    }
    const legacy = legacyIssuerSpelling(connection.issuer);
    if (iss !== legacy) return null;
    const config = await this.oidc.configuration(connection, {
      issuerOverride: legacy,
      replayTokenResponse: captured,
    });
    const replay = new URL(url, callbackUrl);
    if (replay.searchParams.has('iss')) replay.searchParams.set('iss', legacy);
    return codeGrant(config, callbackUrl, `${replay.pathname}${replay.search}`, state);
  }

  /** Ends the caller's session and returns where to send the browser (the IdP's end-session endpoint when known). */
  async logout(ctx: RequestContext): Promise<{ redirectTo: string; setCookie: string }> {
    let redirectTo = this.config.postLogoutRedirectUrl;
    const sessionId = ctx.principal.sessionId;
    if (sessionId) {
      const sso = await this.db.ssoSession.findUnique({ where: { sessionId } });
      const connection = sso ? await this.connections.resolve(sso.connectionId) : null;
      if (sso && connection) {
        try {
          const config = await this.oidc.configuration(connection);
          if (config.serverMetadata().end_session_endpoint) {
            const idTokenHint = open(
              this.keys.encryption,
              sso.idTokenCiphertext,
              idTokenAad(sessionId),
            ).toString('utf8');
            redirectTo = client.buildEndSessionUrl(config, {
              id_token_hint: idTokenHint,
              post_logout_redirect_uri: this.config.postLogoutRedirectUrl,
            }).href;
          }
        } catch (e) {
          // The local session still ends; only the IdP round trip is skipped.
          this.logger.warn(
            { event: 'auth.logout_idp_skipped', reason: reasonOf(e), connectionId: connection.id },
            'IdP logout skipped',
          );
        }
      }
      await withTransaction(this.db, async (tx) => {
        const { count } = await tx.session.deleteMany({
          where: { id: sessionId, userId: ctx.principal.userId },
        });
        if (count > 0)
          await this.audit.record(tx, ctx, {
            orgId: null,
            action: 'session.delete',
            targetType: 'session',
            targetId: sessionId,
          });
      });
    }
    this.logger.info(
      { event: 'auth.logout', userId: ctx.principal.userId, requestId: ctx.requestId },
      'logged out',
    );
    return { redirectTo, setCookie: this.sessions.cookie('', 0) };
  }
}
