import { Inject, Injectable } from '@nestjs/common';
import { withTransaction, type Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../common/request-context.js';
import { DB } from '../common/tokens.js';
import { SessionsService } from './sessions.service.js';

/** The caller's own account and session. */
@Injectable()
export class UsersService {
  constructor(
    @Inject(DB) private readonly db: Database,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async me(ctx: RequestContext): Promise<{ id: string; email: string; name: string | null }> {
    const user = await this.db.user.findUnique({ where: { id: ctx.principal.userId } });
    if (!user) throw errors.unauthenticated();
    return { id: user.id, email: user.email, name: user.name };
  }

  /** `sessionSecret` is the cookie value when the caller came with a session (for the CSRF token). */
  async session(ctx: RequestContext, sessionSecret: string | undefined) {
    const user = await this.me(ctx);
    const csrfToken =
      ctx.principal.via === 'session' && sessionSecret
        ? this.sessions.csrfToken(sessionSecret)
        : null;
    return { user, via: ctx.principal.via, csrfToken };
  }

  /** Logout: deletes the server-side session; returns the Set-Cookie value that clears the cookie. */
  async logout(ctx: RequestContext): Promise<string> {
    const sessionId = ctx.principal.sessionId;
    if (sessionId) {
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
    return this.sessions.cookie('', 0);
  }
}
