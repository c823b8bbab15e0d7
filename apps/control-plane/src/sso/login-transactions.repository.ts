import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@switchyard/db';
import { sha256 } from '../common/crypto.js';
import { DB } from '../common/tokens.js';
import type { StrategyState } from './passport-oidc.js';

/** Login transaction cookie: `__Host-` (Secure, Path=/, no Domain), Lax so it survives the IdP's top-level redirect back. */
export const LOGIN_COOKIE = '__Host-switchyard_login';
/** A login must come back within this time. */
export const LOGIN_TTL_MS = 10 * 60_000;

/** A login in flight, as stored. */
export interface LoginTransaction {
  connectionId: string;
  returnTo: string;
  expectedIssuer: string;
  state: StrategyState;
  /** A signed-in user linking this connection's identity to their account (null: a plain login). */
  linkUserId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * One-time login transactions in Postgres, keyed by the SHA-256 of an opaque 256-bit cookie value
 * (a database dump cannot replay a login). `take` deletes the row in the same statement that reads
 * it, so a replayed callback finds nothing.
 */
@Injectable()
export class LoginTransactionsRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  /** Stores a transaction and returns the cookie value that names it. */
  async create(
    tx: Omit<LoginTransaction, 'createdAt' | 'expiresAt'>,
  ): Promise<{ cookieValue: string; expiresAt: Date }> {
    const cookieValue = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + LOGIN_TTL_MS);
    if (!tx.state.nonce || !tx.state.state)
      throw new Error('login transaction without nonce or state');
    await this.db.ssoLoginTransaction.create({
      data: {
        id: sha256(cookieValue),
        connectionId: tx.connectionId,
        returnTo: tx.returnTo,
        expectedIssuer: tx.expectedIssuer,
        state: tx.state.state,
        nonce: tx.state.nonce,
        codeVerifier: tx.state.code_verifier,
        linkUserId: tx.linkUserId,
        expiresAt,
      },
    });
    // Opportunistic sweep of abandoned logins (indexed on expiresAt).
    await this.db.ssoLoginTransaction.deleteMany({ where: { expiresAt: { lt: new Date() } } });
    return { cookieValue, expiresAt };
  }

  /** Reads and deletes the transaction (one-time use); null when unknown, already used or swept. */
  async take(cookieValue: string): Promise<LoginTransaction | null> {
    const rows = await this.db.$queryRaw<
      {
        connectionId: string;
        returnTo: string;
        expectedIssuer: string;
        state: string;
        nonce: string;
        codeVerifier: string;
        linkUserId: string | null;
        createdAt: Date;
        expiresAt: Date;
      }[]
    >`
      DELETE FROM "sso_login_transactions" WHERE "id" = ${sha256(cookieValue)}
      RETURNING "connectionId", "returnTo", "expectedIssuer", "state", "nonce", "codeVerifier", "linkUserId", "createdAt", "expiresAt"`;
    const row = rows[0];
    if (!row) return null;
    return {
      connectionId: row.connectionId,
      returnTo: row.returnTo,
      expectedIssuer: row.expectedIssuer,
      state: { code_verifier: row.codeVerifier, nonce: row.nonce, state: row.state },
      linkUserId: row.linkUserId,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
    };
  }

  /** `Set-Cookie` value for the transaction cookie; `maxAgeSeconds = 0` clears it. */
  cookie(value: string, maxAgeSeconds: number): string {
    return `${LOGIN_COOKIE}=${value}; Path=/; Max-Age=${Math.floor(maxAgeSeconds)}; HttpOnly; Secure; SameSite=Lax`;
  }
}
