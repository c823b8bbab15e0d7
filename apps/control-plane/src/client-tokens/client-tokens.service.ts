import { Inject, Injectable } from '@nestjs/common';
import { withTransaction, type ClientToken, type Database, type Environment } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { AuditService } from '../audit/audit.service.js';
import { pageArgs, toPage, type Page, type PageQuery } from '../common/pagination.js';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { mintToken } from '../common/secret-token.js';
import { DB } from '../common/tokens.js';
import { ChangeEvents } from '../events/change-events.js';
import { HookEmitter } from '../outbound-hooks/hook-emitter.service.js';
import type { ClientTokenView, CreateClientTokenBody } from './client-tokens.dto.js';

type Loaded = ClientToken & { environments: { environment: Environment }[] };
const include = { environments: { include: { environment: true } } } as const;

function view(t: Loaded): ClientTokenView {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    environments: t.environments.map((e) => e.environment.key).sort(),
    namespaces: t.namespaces,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  };
}

/** SDK client tokens (`sy_live_…`): scoped to environments of one org, optionally to namespaces. */
@Injectable()
export class ClientTokensService {
  constructor(
    @Inject(DB) private readonly db: Database,
    private readonly audit: AuditService,
    private readonly events: ChangeEvents,
    private readonly hooks: HookEmitter,
  ) {}

  async list(ctx: OrgContext, query: PageQuery): Promise<Page<ClientTokenView>> {
    requirePermission(ctx, 'tokens:read');
    const page = pageArgs(query);
    const rows = await this.db.clientToken.findMany({
      ...page,
      where: { ...page.where, orgId: ctx.org.id },
      include,
    });
    return toPage(rows, query.limit, view);
  }

  async get(ctx: OrgContext, tokenId: string): Promise<ClientTokenView> {
    requirePermission(ctx, 'tokens:read');
    const row = await this.db.clientToken.findFirst({
      where: { id: tokenId, orgId: ctx.org.id },
      include,
    });
    if (!row) throw errors.notFound('client token not found');
    return view(row);
  }

  /** The secret is returned here once; only its SHA-256 and a display prefix are stored. */
  async create(
    ctx: OrgContext,
    body: CreateClientTokenBody,
  ): Promise<ClientTokenView & { token: string }> {
    requirePermission(ctx, 'tokens:write');
    const minted = mintToken('live');
    const keys = [...new Set(body.environments)];
    const row = await withTransaction(this.db, async (tx) => {
      const envs = await tx.environment.findMany({
        where: { orgId: ctx.org.id, key: { in: keys } },
      });
      const missing = body.environments.flatMap((k, i) =>
        envs.some((e) => e.key === k)
          ? []
          : [{ path: `body.environments[${i}]`, message: `no environment "${k}"` }],
      );
      if (missing.length > 0) throw errors.invalidArgument('unknown environments', missing);
      const created = await tx.clientToken.create({
        data: {
          orgId: ctx.org.id,
          name: body.name,
          tokenHash: minted.hash,
          prefix: minted.displayPrefix,
          namespaces: [...new Set(body.namespaces)],
          expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
          createdById: ctx.principal.userId,
          environments: { create: envs.map((e) => ({ environmentId: e.id })) },
        },
        include,
      });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'client_token.create',
        targetType: 'client_token',
        targetId: created.id,
        after: view(created),
      });
      return created;
    });
    // After commit: the org's instance refetches its token hashes within a round trip.
    this.events.tokensChanged(ctx.org.id);
    this.hooks.announce({
      orgId: ctx.org.id,
      type: 'token.created',
      actor: ctx.principal.email,
      data: { token: view(row) },
    });
    return { ...view(row), token: minted.secret };
  }

  async revoke(ctx: OrgContext, tokenId: string): Promise<ClientTokenView> {
    requirePermission(ctx, 'tokens:write');
    const revoked = await withTransaction(this.db, async (tx) => {
      const before = await tx.clientToken.findFirst({
        where: { id: tokenId, orgId: ctx.org.id },
        include,
      });
      if (!before) throw errors.notFound('client token not found');
      if (before.revokedAt) return { view: view(before), changed: false };
      const after = await tx.clientToken.update({
        where: { id: before.id },
        data: { revokedAt: new Date() },
        include,
      });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'client_token.revoke',
        targetType: 'client_token',
        targetId: before.id,
        before: view(before),
        after: view(after),
      });
      return { view: view(after), changed: true };
    });
    this.events.tokensChanged(ctx.org.id);
    if (revoked.changed)
      this.hooks.announce({
        orgId: ctx.org.id,
        type: 'token.revoked',
        actor: ctx.principal.email,
        data: { token: revoked.view },
      });
    return revoked.view;
  }
}
