import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import type { AppConfig } from '../config/config.js';
import { hmac, sha256, type Keys } from '../common/crypto.js';
import type { Principal } from '../common/request-context.js';
import { CONFIG, DB, KEYS } from '../common/tokens.js';

/** Session cookie name; `__Host-` forces Secure, Path=/ and no Domain in browsers. */
export const SESSION_COOKIE = '__Host-switchyard_session';
// Touch lastSeenAt at most this often, so reads do not each cost a write.
const TOUCH_EVERY_MS = 60_000;

/** A new session: the cookie secret is returned once and only its hash is stored. */
export interface CreatedSession {
  id: string;
  secret: string;
  csrfToken: string;
  expiresAt: Date;
  /** Full `Set-Cookie` header value. */
  setCookie: string;
}

/**
 * Server-side sessions. The SSO login (a later issue) calls {@link SessionsService.create} after
 * it has verified the user; tests call it directly.
 */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(KEYS) private readonly keys: Keys,
  ) {}

  /** Opens a session for `userId` (always a fresh id: no fixation). */
  async create(
    userId: string,
    options: { userAgent?: string; ip?: string } = {},
  ): Promise<CreatedSession> {
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.sessionAbsoluteMs);
    const session = await this.db.session.create({
      data: {
        userId,
        tokenHash: sha256(secret),
        expiresAt,
        userAgent: options.userAgent?.replace(/[^\x20-\x7e]/g, '').slice(0, 500) ?? null,
        ip: options.ip?.slice(0, 64) ?? null,
      },
    });
    return {
      id: session.id,
      secret,
      csrfToken: this.csrfToken(secret),
      expiresAt,
      setCookie: this.cookie(secret, this.config.sessionAbsoluteMs / 1000),
    };
  }

  /** Resolves a cookie secret to its user, enforcing the idle and absolute timeouts. */
  async resolve(secret: string): Promise<Principal> {
    const session = await this.db.session.findUnique({
      where: { tokenHash: sha256(secret) },
      include: { user: true, sso: { select: { connectionId: true } } },
    });
    if (!session) throw errors.unauthenticated('session is not valid');
    const now = Date.now();
    if (
      session.expiresAt.getTime() <= now ||
      session.lastSeenAt.getTime() + this.config.sessionIdleMs <= now
    ) {
      await this.db.session.deleteMany({ where: { id: session.id } });
      throw errors.unauthenticated('session expired');
    }
    if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.db.session.update({
        where: { id: session.id },
        data: { lastSeenAt: new Date(now) },
      });
    }
    return {
      userId: session.userId,
      email: session.user.email,
      via: 'session',
      sessionId: session.id,
      ssoConnectionIds: session.sso ? [session.sso.connectionId] : [],
    };
  }

  /** Ends one session (logout). */
  async destroy(sessionId: string): Promise<void> {
    await this.db.session.deleteMany({ where: { id: sessionId } });
  }

  /** The synchronizer token for a session: derived, so nothing extra is stored. */
  csrfToken(secret: string): string {
    return hmac(this.keys.csrf, `csrf|${secret}`);
  }

  /** `Set-Cookie` value; `maxAgeSeconds = 0` clears it. */
  cookie(secret: string, maxAgeSeconds: number): string {
    return `${SESSION_COOKIE}=${secret}; Path=/; Max-Age=${Math.floor(maxAgeSeconds)}; HttpOnly; Secure; SameSite=Lax`;
  }
}
