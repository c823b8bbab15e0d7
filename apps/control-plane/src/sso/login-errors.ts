import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isSwitchyardError, SwitchyardError, type ErrorCode } from '@switchyard/flags';
import { sendError, toSwitchyardError } from '../common/error.filter.js';
import { LOGIN_COOKIE } from './login-transactions.repository.js';

/**
 * Why a browser login was refused, as the sign-in page names it (`/login?error=<code>`). The set is
 * closed and mirrored by the console's `login-messages.ts`; a code never carries a secret, a token
 * or a reason that tells anything about another account (the precise reason is logged only).
 */
export const LOGIN_ERROR_CODES = [
  /** A check failed that the user cannot act on (token validation, mix-up, tampering). */
  'refused',
  /** The connection's role mapping gives this user no role in the organisation. */
  'not-member',
  /** The e-mail (or Google `hd`, Auth0 `org_id`) is not one the connection accepts. */
  'email-not-allowed',
  /** The IdP did not say the e-mail is verified. */
  'email-unverified',
  /** The organisation requires its own SSO for where the user was going (`connection` names it). */
  'sso-required',
  /** Discovery or the token endpoint failed: the IdP is down or misconfigured. */
  'idp-unavailable',
  /** The user cancelled or the IdP refused at its own page (`error=access_denied`). */
  'idp-denied',
  /** The one-time login transaction is missing, used, expired or does not match (state). */
  'state-expired',
  /** The e-mail belongs to an existing account: sign in as usual, then link this method. */
  'link-required',
  /** Linking: this IdP identity already belongs to another account. */
  'identity-taken',
  /** An invitation exists for the e-mail, but the IdP did not verify the address. */
  'invitation-mismatch',
  /** The connection maps this login to a role above whoever saved it. */
  'connection-misconfigured',
  /** The connection does not exist (any more). */
  'unknown-connection',
  /** The connection exists but an administrator turned it off. */
  'connection-disabled',
  /** Linking needs the signed-in session that started it. */
  'sign-in-required',
  'rate-limited',
  'bad-request',
] as const;

/** One code of {@link LOGIN_ERROR_CODES}. */
export type LoginErrorCode = (typeof LOGIN_ERROR_CODES)[number];

/** A SwitchyardError that also names the sign-in page's code (and optionally the connection to use). */
export function loginError(
  code: ErrorCode,
  message: string,
  loginCode: LoginErrorCode,
  connection?: string,
): SwitchyardError {
  return new SwitchyardError(code, message, [], {
    loginError: loginCode,
    ...(connection ? { loginConnection: connection } : {}),
  });
}

const BY_CODE: Partial<Record<ErrorCode, LoginErrorCode>> = {
  NotFound: 'unknown-connection',
  ResourceExhausted: 'rate-limited',
  InvalidArgument: 'bad-request',
  Unavailable: 'idp-unavailable',
  Internal: 'idp-unavailable',
};

/** The sign-in page's code for anything a login route threw. */
export function loginErrorCode(e: SwitchyardError): LoginErrorCode {
  const named = e.meta['loginError'];
  if (typeof named === 'string' && (LOGIN_ERROR_CODES as readonly string[]).includes(named))
    return named as LoginErrorCode;
  return BY_CODE[e.code] ?? 'refused';
}

/** `/login?error=…` (relative: the console serves `/login` on the origin the browser is on). */
export function loginErrorLocation(code: LoginErrorCode, connection?: string): string {
  const q = new URLSearchParams({ error: code });
  if (connection) q.set('connection', connection);
  return `/login?${q.toString()}`;
}

/**
 * A top-level navigation (what a browser does on the login and callback URLs) rather than an API
 * call: `Sec-Fetch-Mode: navigate`, or an `Accept` that asks for HTML. The console's proxy forwards
 * the browser's `Accept`, but its own fetch replaces `Sec-Fetch-Mode` with `cors`, so either is
 * enough (a script's fetch asks for `*\/*` or JSON, not HTML).
 */
export function isNavigation(req: FastifyRequest): boolean {
  if (req.headers['sec-fetch-mode'] === 'navigate') return true;
  const accept = req.headers['accept'];
  return typeof accept === 'string' && /\btext\/html\b/i.test(accept);
}

/**
 * On the login and callback routes: a refused browser login goes to the sign-in page with a code
 * it explains, never a JSON body; the one-time login cookie is cleared. API clients (no
 * navigation) keep the JSON error of every other route.
 */
@Catch()
export class LoginErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (!isNavigation(req)) return sendError(exception, req, reply);
    const err = isSwitchyardError(exception) ? exception : toSwitchyardError(exception);
    if (err.code === 'Internal') req.log.error({ err: exception }, 'login failed');
    const code = loginErrorCode(err);
    const connection = err.meta['loginConnection'];
    const retryAfter = err.meta['retryAfterSeconds'];
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    void reply
      .header('set-cookie', `${LOGIN_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`)
      .header('cache-control', 'no-store')
      .redirect(
        loginErrorLocation(code, typeof connection === 'string' ? connection : undefined),
        302,
      );
  }
}
