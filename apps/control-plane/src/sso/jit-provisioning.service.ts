import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { withTransaction, type Database, type Role, type Tx } from '@switchyard/db';
import { AuditService } from '../audit/audit.service.js';
import { ROLE_RANK } from '../common/permissions.js';
import { DB, LOGGER } from '../common/tokens.js';
import { ClaimsRejected, type ClaimsDecision, type ResolvedConnection } from './claims-policy.js';

/** Who logged in, as the provisioning step needs it. */
export interface LoginIdentity {
  issuer: string;
  subject: string;
  emailVerified: boolean;
}

/**
 * Just-in-time provisioning. The account key is (issuer, subject); an e-mail alone never grants an
 * account. An existing account is linked by e-mail only when it has no identity yet (an invited
 * member who never signed in), the e-mail is verified, and the connection is the platform's or
 * restricts e-mail domains. Through an org connection the membership role is recomputed at every
 * login from the mapping, except that the last OWNER is never demoted.
 */
@Injectable()
export class JitProvisioningService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly audit: AuditService,
  ) {}

  /** Returns the user id; throws {@link ClaimsRejected} when the login must not proceed. */
  async provision(connection: ResolvedConnection, who: LoginIdentity, decision: ClaimsDecision, requestId: string): Promise<string> {
    const role = decision.role;
    if (connection.orgId !== null && role === null) {
      await this.removeUnmapped(connection.orgId, connection.id, who, requestId);
      throw new ClaimsRejected('no mapped group or role grants access to this organisation');
    }
    return withTransaction(this.db, async (tx) => {
      const identity = await tx.identity.findUnique({ where: { issuer_subject: { issuer: who.issuer, subject: who.subject } } });
      let userId: string;
      if (identity) {
        userId = identity.userId;
        if (identity.email !== decision.email) await tx.identity.update({ where: { id: identity.id }, data: { email: decision.email } });
      } else {
        const existing = await tx.user.findUnique({ where: { email: decision.email }, include: { identities: { take: 1 } } });
        if (existing) {
          if (existing.identities.length > 0) throw new ClaimsRejected('e-mail belongs to an account that signs in with another identity');
          const trusted = who.emailVerified && (connection.orgId === null || connection.allowedDomains.length > 0);
          if (!trusted) throw new ClaimsRejected('cannot link an existing account by e-mail through a connection without a verified, domain-restricted e-mail');
          userId = existing.id;
        } else {
          userId = (await tx.user.create({ data: { email: decision.email, name: decision.name } })).id;
        }
        await tx.identity.create({ data: { userId, issuer: who.issuer, subject: who.subject, email: decision.email } });
      }
      if (connection.orgId !== null) {
        const ctx = { principal: { userId, email: decision.email, via: 'session' as const }, requestId };
        const orgId = connection.orgId;
        const membership = await tx.membership.findUnique({ where: { orgId_userId: { orgId, userId } } });
        const mapped = role ?? connection.defaultRole;
        if (!membership) {
          await tx.membership.create({ data: { orgId, userId, role: mapped } });
          await this.audit.record(tx, ctx, { orgId, action: 'member.sso_provision', targetType: 'member', targetId: userId, after: { role: mapped, connectionId: connection.id } });
        } else if (membership.role !== mapped) {
          const next = await this.keepLastOwner(tx, orgId, membership.role, mapped, userId);
          if (next !== membership.role) {
            await tx.membership.update({ where: { id: membership.id }, data: { role: next } });
            await this.audit.record(tx, ctx, { orgId, action: 'member.sso_role_change', targetType: 'member', targetId: userId, before: { role: membership.role }, after: { role: next, connectionId: connection.id } });
          }
        }
      }
      return userId;
    });
  }

  /** The IdP no longer lists a mapped group: the membership goes (never the last owner's); nothing is created. */
  private async removeUnmapped(orgId: string, connectionId: string, who: LoginIdentity, requestId: string): Promise<void> {
    await withTransaction(this.db, async (tx) => {
      const identity = await tx.identity.findUnique({ where: { issuer_subject: { issuer: who.issuer, subject: who.subject } }, include: { user: true } });
      if (!identity) return;
      const membership = await tx.membership.findUnique({ where: { orgId_userId: { orgId, userId: identity.userId } } });
      if (!membership) return;
      if ((await this.keepLastOwner(tx, orgId, membership.role, 'VIEWER', identity.userId)) === 'OWNER') return;
      await tx.membership.delete({ where: { id: membership.id } });
      const ctx = { principal: { userId: identity.userId, email: identity.user.email, via: 'session' as const }, requestId };
      await this.audit.record(tx, ctx, { orgId, action: 'member.sso_remove', targetType: 'member', targetId: identity.userId, before: { role: membership.role }, after: { connectionId } });
    });
  }

  private async keepLastOwner(tx: Tx, orgId: string, current: Role, next: Role, userId: string): Promise<Role> {
    if (current !== 'OWNER' || ROLE_RANK[next] >= ROLE_RANK.OWNER) return next;
    const owners = await tx.membership.count({ where: { orgId, role: 'OWNER' } });
    if (owners > 1) return next;
    this.logger.warn({ event: 'auth.sso_role_kept', orgId, userId, mapped: next }, 'SSO mapping would demote the last owner; role kept');
    return current;
  }
}
