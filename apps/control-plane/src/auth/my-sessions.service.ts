import { Inject, Injectable } from '@nestjs/common';
import { withTransaction, type Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../common/request-context.js';
import { CONFIG, DB } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import type { MySessionView } from './pats.dto.js';
import { SessionsService } from './sessions.service.js';

// A user has a handful of sessions; past this many only the most recent are listed.
const MAX_LISTED = 100;

/** The caller's own browser sessions: list them (the current one marked) and revoke any of them. */
@Injectable()
export class MySessionsService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /** Live sessions only (neither past the absolute lifetime nor idle too long): the current one, then the most recently active. */
  async list(ctx: RequestContext): Promise<{ items: MySessionView[] }> {
    const now = Date.now();
    const rows = await this.db.session.findMany({
      where: {
        userId: ctx.principal.userId,
        expiresAt: { gt: new Date(now) },
        lastSeenAt: { gt: new Date(now - this.config.sessionIdleMs) },
      },
      include: { sso: { select: { connectionId: true } } },
      orderBy: [{ lastSeenAt: 'desc' }, { id: 'desc' }],
      take: MAX_LISTED,
    });
    const connectionIds = [...new Set(rows.flatMap((r) => (r.sso ? [r.sso.connectionId] : [])))];
    const names = new Map(
      (
        await this.db.ssoConnection.findMany({
          where: { id: { in: connectionIds } },
          select: { id: true, name: true },
        })
      ).map((c) => [c.id, c.name]),
    );
    const current = ctx.principal.sessionId;
    rows.sort((a, b) => Number(b.id === current) - Number(a.id === current));
    return {
      items: rows.map((r) => ({
        id: r.id,
        current: r.id === ctx.principal.sessionId,
        createdAt: r.createdAt.toISOString(),
        lastSeenAt: r.lastSeenAt.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
        userAgent: r.userAgent,
        ip: r.ip,
        signedInWith: r.sso
          ? {
              connectionId: r.sso.connectionId,
              name:
                r.sso.connectionId === 'platform'
                  ? 'Platform SSO'
                  : (names.get(r.sso.connectionId) ?? 'a deleted connection'),
            }
          : null,
      })),
    };
  }

  /**
   * Ends one of the caller's sessions (another user's is NotFound, like a missing one). Revoking
   * the current session signs out: the answer then clears the cookie (returned Set-Cookie value).
   */
  async revoke(ctx: RequestContext, sessionId: string): Promise<{ setCookie: string | null }> {
    await withTransaction(this.db, async (tx) => {
      const { count } = await tx.session.deleteMany({
        where: { id: sessionId, userId: ctx.principal.userId },
      });
      if (count === 0) throw errors.notFound('session not found');
      await this.audit.record(tx, ctx, {
        orgId: null,
        action: 'session.delete',
        targetType: 'session',
        targetId: sessionId,
        after: { revokedBy: ctx.principal.sessionId === sessionId ? 'sign-out' : 'revoke' },
      });
    });
    return {
      setCookie: ctx.principal.sessionId === sessionId ? this.sessions.cookie('', 0) : null,
    };
  }
}
