import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { withTransaction, type Database, type OrgDomain } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { AuditService } from '../audit/audit.service.js';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { DB } from '../common/tokens.js';
import type { CreateDomainBody, DomainView } from './domains.dto.js';
import { TxtLookupService } from './txt-lookup.service.js';

/** DNS name of the verification record of `domain`. */
export function challengeName(domain: string): string {
  return `_switchyard-challenge.${domain}`;
}

/** Value of the verification record for `token`. */
export function challengeValue(token: string): string {
  return `switchyard-domain-verification=${token}`;
}

function view(d: OrgDomain): DomainView {
  return {
    id: d.id,
    domain: d.domain,
    status: d.verifiedDomain !== null ? 'verified' : 'pending',
    verification: { type: 'TXT', name: challengeName(d.domain), value: challengeValue(d.token) },
    verifiedAt: d.verifiedAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

/**
 * Organisation domains. An admin registers a domain and gets a token, publishes it as a TXT record,
 * then calls verify. A verified domain lets the organisation's SSO connections create and link
 * accounts by e-mail for it (see `sso/README.md`). One organisation at a time holds a verified
 * domain (unique `verifiedDomain`): a second one gets Conflict until the first deletes it.
 */
@Injectable()
export class DomainsService {
  constructor(
    @Inject(DB) private readonly db: Database,
    private readonly dns: TxtLookupService,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: OrgContext): Promise<{ items: DomainView[] }> {
    requirePermission(ctx, 'org:read');
    const rows = await this.db.orgDomain.findMany({
      where: { orgId: ctx.org.id },
      orderBy: { domain: 'asc' },
    });
    return { items: rows.map(view) };
  }

  async get(ctx: OrgContext, domainId: string): Promise<DomainView> {
    requirePermission(ctx, 'org:read');
    return view(await this.find(ctx, domainId));
  }

  async create(ctx: OrgContext, body: CreateDomainBody): Promise<DomainView> {
    requirePermission(ctx, 'org:write');
    return withTransaction(this.db, async (tx) => {
      if (
        await tx.orgDomain.findUnique({
          where: { orgId_domain: { orgId: ctx.org.id, domain: body.domain } },
        })
      )
        throw errors.alreadyExists(`${body.domain} is already registered by this organisation`);
      const row = await tx.orgDomain.create({
        data: {
          orgId: ctx.org.id,
          domain: body.domain,
          token: randomBytes(24).toString('base64url'),
        },
      });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'domain.create',
        targetType: 'domain',
        targetId: row.id,
        after: { domain: row.domain },
      });
      return view(row);
    });
  }

  /** Looks the TXT record up now; verified when one record equals the expected value exactly. */
  async verify(ctx: OrgContext, domainId: string): Promise<DomainView> {
    requirePermission(ctx, 'org:write');
    const row = await this.find(ctx, domainId);
    if (row.verifiedDomain !== null) return view(row);
    await this.assertFree(ctx, row.domain);
    const name = challengeName(row.domain);
    const expected = challengeValue(row.token);
    const records = await this.dns.txt(name);
    if (!records.some((r) => r.trim() === expected)) {
      throw errors.failedPrecondition(
        `no TXT record "${expected}" at ${name} (found ${records.length} TXT record(s)); publish it and verify again (DNS changes may take a few minutes)`,
      );
    }
    try {
      return await withTransaction(this.db, async (tx) => {
        const updated = await tx.orgDomain.update({
          where: { id: row.id },
          data: { verifiedDomain: row.domain, verifiedAt: new Date() },
        });
        await this.audit.record(tx, ctx, {
          orgId: ctx.org.id,
          action: 'domain.verify',
          targetType: 'domain',
          targetId: row.id,
          after: { domain: row.domain, record: name },
        });
        return view(updated);
      });
    } catch (e) {
      // Another organisation verified it between the check above and this write.
      if ((e as { code?: unknown }).code === 'P2002') throw this.taken(row.domain);
      throw e;
    }
  }

  async delete(ctx: OrgContext, domainId: string): Promise<void> {
    requirePermission(ctx, 'org:write');
    await withTransaction(this.db, async (tx) => {
      const row = await tx.orgDomain.findFirst({ where: { id: domainId, orgId: ctx.org.id } });
      if (!row) throw errors.notFound('domain not found');
      await tx.orgDomain.delete({ where: { id: row.id } });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'domain.delete',
        targetType: 'domain',
        targetId: row.id,
        before: { domain: row.domain, verified: row.verifiedDomain !== null },
      });
    });
  }

  private async find(ctx: OrgContext, domainId: string): Promise<OrgDomain> {
    const row = await this.db.orgDomain.findFirst({ where: { id: domainId, orgId: ctx.org.id } });
    if (!row) throw errors.notFound('domain not found');
    return row;
  }

  private async assertFree(ctx: OrgContext, domain: string): Promise<void> {
    const holder = await this.db.orgDomain.findUnique({
      where: { verifiedDomain: domain },
      select: { orgId: true },
    });
    if (holder && holder.orgId !== ctx.org.id) throw this.taken(domain);
  }

  private taken(domain: string) {
    return errors.conflict(
      `${domain} is verified by another organisation; it must delete it before this one can verify it`,
    );
  }
}
