import { Inject, Injectable } from '@nestjs/common';
import { withTransaction, type Database, type PersonalAccessToken } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { AuditService } from '../audit/audit.service.js';
import { pageArgs, toPage, type Page, type PageQuery } from '../common/pagination.js';
import type { RequestContext } from '../common/request-context.js';
import { mintToken } from '../common/secret-token.js';
import { DB } from '../common/tokens.js';
import type { CreatePatBody, PatView } from './pats.dto.js';

function view(t: PersonalAccessToken): PatView {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    ssoConnectionIds: t.ssoConnectionIds,
  };
}

/** Personal access tokens: a user's own automation credentials (`sy_pat_…`). */
@Injectable()
export class PatsService {
  constructor(
    @Inject(DB) private readonly db: Database,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: RequestContext, query: PageQuery): Promise<Page<PatView>> {
    const page = pageArgs(query);
    const rows = await this.db.personalAccessToken.findMany({
      ...page,
      where: { ...page.where, userId: ctx.principal.userId },
    });
    return toPage(rows, query.limit, view);
  }

  /**
   * Mints a token for the caller; the secret is in the result and nowhere else. The token inherits
   * the SSO authorisation of the credential that minted it (never more): minted from a session
   * that signed in through an organisation's SSO, it may reach that organisation while it enforces
   * SSO; minted from any other session it may not (GitHub's SAML-authorised tokens).
   */
  async create(ctx: RequestContext, body: CreatePatBody): Promise<PatView & { token: string }> {
    return this.issue(ctx, ctx.principal.userId, body);
  }

  /** Also used by the bootstrap command for the first user (authorised for no SSO connection). */
  async issue(
    ctx: RequestContext,
    userId: string,
    body: CreatePatBody,
  ): Promise<PatView & { token: string }> {
    const minted = mintToken('pat');
    // Only the caller's own credential can pass its authorisation on (an operator minting for a user passes none).
    const ssoConnectionIds =
      ctx.principal.userId === userId ? [...new Set(ctx.principal.ssoConnectionIds ?? [])] : [];
    const row = await withTransaction(this.db, async (tx) => {
      const created = await tx.personalAccessToken.create({
        data: {
          userId,
          name: body.name,
          tokenHash: minted.hash,
          prefix: minted.displayPrefix,
          expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
          ssoConnectionIds,
        },
      });
      await this.audit.record(tx, ctx, {
        orgId: null,
        action: 'pat.create',
        targetType: 'personal_access_token',
        targetId: created.id,
        after: view(created),
      });
      return created;
    });
    return { ...view(row), token: minted.secret };
  }

  async revoke(ctx: RequestContext, tokenId: string): Promise<void> {
    await withTransaction(this.db, async (tx) => {
      const before = await tx.personalAccessToken.findFirst({
        where: { id: tokenId, userId: ctx.principal.userId },
      });
      if (!before) throw errors.notFound('token not found');
      if (before.revokedAt) return;
      const after = await tx.personalAccessToken.update({
        where: { id: before.id },
        data: { revokedAt: new Date() },
      });
      await this.audit.record(tx, ctx, {
        orgId: null,
        action: 'pat.revoke',
        targetType: 'personal_access_token',
        targetId: before.id,
        before: view(before),
        after: view(after),
      });
    });
  }
}
