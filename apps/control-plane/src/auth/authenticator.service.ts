import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import type { AppConfig } from '../config/config.js';
import { safeEqual, sha256 } from '../common/crypto.js';
import type { Principal } from '../common/request-context.js';
import { isWellFormedToken } from '../common/secret-token.js';
import { CONFIG, DB } from '../common/tokens.js';
import { SESSION_COOKIE, SessionsService } from './sessions.service.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TOUCH_EVERY_MS = 60_000;

/** Reads one cookie from a Cookie header (RFC 6265 pairs; first occurrence wins). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Establishes who is calling. A bearer personal access token wins over a cookie and needs no CSRF
 * defence (browsers never attach it by themselves); a cookie session must pass the CSRF checks on
 * every unsafe method.
 */
@Injectable()
export class AuthenticatorService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsService,
  ) {}

  async authenticate(req: FastifyRequest): Promise<Principal> {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer ([\x21-\x7e]+)$/.exec(authorization);
      if (!match) throw errors.unauthenticated('malformed Authorization header');
      return this.verifyPat(match[1]!);
    }
    const secret = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (!secret) throw errors.unauthenticated();
    const principal = await this.sessions.resolve(secret);
    if (!SAFE_METHODS.has(req.method)) this.checkCsrf(req, secret);
    return principal;
  }

  private checkCsrf(req: FastifyRequest, secret: string): void {
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site') throw errors.permissionDenied('cross-site request refused');
    const origin = req.headers.origin;
    // `Origin: null` (sandboxed frames, some redirects) is never in the allowlist.
    if (origin !== undefined && !this.config.allowedOrigins.includes(origin))
      throw errors.permissionDenied('origin not allowed');
    const token = req.headers['x-csrf-token'];
    if (typeof token !== 'string' || !safeEqual(token, this.sessions.csrfToken(secret))) {
      throw errors.permissionDenied('missing or invalid X-CSRF-Token');
    }
  }

  private async verifyPat(secret: string): Promise<Principal> {
    if (!isWellFormedToken('pat', secret)) throw errors.unauthenticated('token is not valid');
    const pat = await this.db.personalAccessToken.findUnique({
      where: { tokenHash: sha256(secret) },
      include: { user: true },
    });
    const now = Date.now();
    if (!pat || pat.revokedAt || (pat.expiresAt && pat.expiresAt.getTime() <= now))
      throw errors.unauthenticated('token is not valid');
    if (!pat.lastUsedAt || now - pat.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
      await this.db.personalAccessToken.update({
        where: { id: pat.id },
        data: { lastUsedAt: new Date(now) },
      });
    }
    return {
      userId: pat.userId,
      email: pat.user.email,
      via: 'pat',
      tokenId: pat.id,
      ssoConnectionIds: pat.ssoConnectionIds,
    };
  }
}
