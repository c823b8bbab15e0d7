import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { withTransaction, type Database, type Role, type Tx } from '@switchyard/db';
import { AuditService } from '../audit/audit.service.js';
import { ROLE_RANK } from '../common/permissions.js';
import type { RequestContext } from '../common/request-context.js';
import { mayGrant } from '../common/role-grant.js';
import { DB, LOGGER } from '../common/tokens.js';
import { ClaimsRejected, type ClaimsDecision, type ResolvedConnection } from './claims-policy.js';
import type { LoginErrorCode } from './login-errors.js';

/** Who logged in, as the provisioning step needs it. */
export interface LoginIdentity {
  issuer: string;
  subject: string;
  emailVerified: boolean;
}

/** Accounts created through an unverified domain get an address here (RFC 2606: never deliverable, never invited). */
export const UNVERIFIED_EMAIL_DOMAIN = 'unverified.switchyard.invalid';

/**
 * A refusal the user must understand (the browser gets `message`; the log gets `reason`): the
 * e-mail belongs to an account this connection may not claim, or the identity to someone else.
 */
export class LoginNeedsLinking extends ClaimsRejected {
  constructor(
    reason: string,
    readonly userMessage: string,
    loginCode: LoginErrorCode = 'link-required',
  ) {
    super(reason, loginCode);
  }
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * Just-in-time provisioning. The account key is (issuer, subject); an e-mail claim alone never
 * claims an account or an invitation.
 * - Platform connection (the operator's IdP): links an identity-less account (an invitation) by
 *   verified e-mail, as before.
 * - Organisation connection: creates an account for, or links an identity-less account (an
 *   invitation) by, the e-mail only when the IdP verified the e-mail AND the organisation verified
 *   its domain (DNS TXT).
 *   Otherwise an e-mail that already has an account is refused (the user signs in as before and
 *   links the identity), and a new e-mail gets an account keyed by (issuer, subject) only, whose
 *   `User.email` is a reserved placeholder so it never squats the address nor matches an invitation.
 * - Explicit link (`linkUserId`, started by that signed-in user): the identity joins their account.
 * Through an org connection the membership role is recomputed at every login from the mapping,
 * never above what the connection's saver may grant, and the last OWNER is never demoted.
 */
@Injectable()
export class JitProvisioningService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly audit: AuditService,
  ) {}

  /** Returns the user id; throws {@link ClaimsRejected} when the login must not proceed. */
  async provision(
    connection: ResolvedConnection,
    who: LoginIdentity,
    decision: ClaimsDecision,
    requestId: string,
    linkUserId: string | null = null,
  ): Promise<string> {
    const role = decision.role;
    if (connection.orgId !== null && role === null) {
      await this.removeUnmapped(connection.orgId, connection.id, who, requestId);
      throw new ClaimsRejected(
        'no mapped group or role grants access to this organisation',
        'not-member',
      );
    }
    // The connection grants on behalf of whoever saved it (rows saved before the check: ADMIN).
    if (connection.orgId !== null && role !== null && !mayGrant(connection.savedByRole, role)) {
      throw new ClaimsRejected(
        `the connection maps this login to ${role}, above the role of whoever saved it (${connection.savedByRole}); an owner must save it again`,
        'connection-misconfigured',
      );
    }
    return withTransaction(this.db, async (tx) => {
      const userId =
        linkUserId !== null
          ? await this.link(tx, connection, who, decision, linkUserId, requestId)
          : await this.account(tx, connection, who, decision, requestId);
      if (connection.orgId !== null && role !== null)
        await this.membership(
          tx,
          connection,
          connection.orgId,
          userId,
          role,
          decision.email,
          requestId,
        );
      return userId;
    });
  }

  /** The account of a login without link intent (see the class comment for the rules). */
  private async account(
    tx: Tx,
    connection: ResolvedConnection,
    who: LoginIdentity,
    decision: ClaimsDecision,
    requestId: string,
  ): Promise<string> {
    const identity = await tx.identity.findUnique({
      where: { issuer_subject: { issuer: who.issuer, subject: who.subject } },
    });
    const orgId = connection.orgId;
    const trusted = async () =>
      who.emailVerified &&
      (orgId === null || (await this.domainVerified(tx, orgId, domainOf(decision.email))));
    if (identity) {
      if (identity.email !== decision.email)
        await tx.identity.update({ where: { id: identity.id }, data: { email: decision.email } });
      await this.adoptAddress(tx, identity.userId, decision.email, trusted);
      return identity.userId;
    }
    const isTrusted = await trusted();
    const existing = await tx.user.findUnique({
      where: { email: decision.email },
      include: { identities: { take: 1 } },
    });
    let userId: string;
    if (existing) {
      if (orgId !== null && !isTrusted) {
        throw new LoginNeedsLinking(
          `e-mail ${decision.email} belongs to an existing account and the domain is not verified by the connection's organisation (or email_verified is not true)`,
          'An account with this e-mail address already exists. Sign in the way you usually do, then link this sign-in method from your account.',
        );
      }
      if (existing.identities.length > 0) {
        // Even a verified domain only takes invitations (accounts without an identity); joining two identities needs an explicit link.
        if (orgId === null)
          throw new ClaimsRejected(
            'e-mail belongs to an account that signs in with another identity',
            'link-required',
          );
        throw new LoginNeedsLinking(
          `e-mail ${decision.email} belongs to an account that signs in with another identity`,
          'An account with this e-mail address already exists. Sign in the way you usually do, then link this sign-in method from your account.',
        );
      }
      if (orgId === null && !isTrusted)
        throw new ClaimsRejected(
          'cannot link an existing account by e-mail without a verified e-mail',
          'invitation-mismatch',
        );
      userId = existing.id;
    } else {
      const email = isTrusted ? decision.email : `${randomUUID()}@${UNVERIFIED_EMAIL_DOMAIN}`;
      userId = (await tx.user.create({ data: { email, name: decision.name ?? decision.email } }))
        .id;
    }
    await tx.identity.create({
      data: { userId, issuer: who.issuer, subject: who.subject, email: decision.email },
    });
    const how = existing
      ? 'linked by verified e-mail'
      : isTrusted
        ? 'new account'
        : 'new account keyed by issuer and subject (unverified domain)';
    await this.audit.record(tx, this.ctx(userId, decision.email, requestId), {
      orgId,
      action: 'identity.create',
      targetType: 'user',
      targetId: userId,
      after: { issuer: who.issuer, subject: who.subject, connectionId: connection.id, how },
    });
    return userId;
  }

  /** The signed-in owner of `userId` linked this identity: attach it, unless it is someone else's. */
  private async link(
    tx: Tx,
    connection: ResolvedConnection,
    who: LoginIdentity,
    decision: ClaimsDecision,
    userId: string,
    requestId: string,
  ): Promise<string> {
    const identity = await tx.identity.findUnique({
      where: { issuer_subject: { issuer: who.issuer, subject: who.subject } },
    });
    if (identity && identity.userId !== userId) {
      throw new LoginNeedsLinking(
        'link: the identity already belongs to another account',
        'This sign-in is already linked to another account; it cannot be linked to yours.',
        'identity-taken',
      );
    }
    if (!identity) {
      await tx.identity.create({
        data: { userId, issuer: who.issuer, subject: who.subject, email: decision.email },
      });
      await this.audit.record(tx, this.ctx(userId, decision.email, requestId), {
        orgId: connection.orgId,
        action: 'identity.link',
        targetType: 'user',
        targetId: userId,
        after: { issuer: who.issuer, subject: who.subject, connectionId: connection.id },
      });
    }
    return userId;
  }

  /**
   * An account created through an unverified domain takes its address once the claim is trusted
   * (the organisation verified the domain since), unless another account holds the address by then.
   */
  private async adoptAddress(
    tx: Tx,
    userId: string,
    email: string,
    trusted: () => Promise<boolean>,
  ): Promise<void> {
    const user = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { email: true },
    });
    if (!user.email.endsWith(`@${UNVERIFIED_EMAIL_DOMAIN}`) || !(await trusted())) return;
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) return;
    await tx.user.update({ where: { id: userId }, data: { email } });
  }

  private async domainVerified(tx: Tx, orgId: string, domain: string): Promise<boolean> {
    return (
      (await tx.orgDomain.findFirst({
        where: { orgId, verifiedDomain: domain },
        select: { id: true },
      })) !== null
    );
  }

  private ctx(userId: string, email: string, requestId: string): RequestContext {
    return { principal: { userId, email, via: 'session' }, requestId };
  }

  /** Creates the membership with the mapped role, or moves the role to it (never demoting the last owner). */
  private async membership(
    tx: Tx,
    connection: ResolvedConnection,
    orgId: string,
    userId: string,
    mapped: Role,
    email: string,
    requestId: string,
  ): Promise<void> {
    const ctx = this.ctx(userId, email, requestId);
    const membership = await tx.membership.findUnique({
      where: { orgId_userId: { orgId, userId } },
    });
    if (!membership) {
      await tx.membership.create({ data: { orgId, userId, role: mapped } });
      await this.audit.record(tx, ctx, {
        orgId,
        action: 'member.sso_provision',
        targetType: 'member',
        targetId: userId,
        after: { role: mapped, connectionId: connection.id },
      });
    } else if (membership.role !== mapped) {
      const next = await this.keepLastOwner(tx, orgId, membership.role, mapped, userId);
      if (next !== membership.role) {
        await tx.membership.update({ where: { id: membership.id }, data: { role: next } });
        await this.audit.record(tx, ctx, {
          orgId,
          action: 'member.sso_role_change',
          targetType: 'member',
          targetId: userId,
          before: { role: membership.role },
          after: { role: next, connectionId: connection.id },
        });
      }
    }
  }

  /** The IdP no longer lists a mapped group: the membership goes (never the last owner's); nothing is created. */
  private async removeUnmapped(
    orgId: string,
    connectionId: string,
    who: LoginIdentity,
    requestId: string,
  ): Promise<void> {
    await withTransaction(this.db, async (tx) => {
      const identity = await tx.identity.findUnique({
        where: { issuer_subject: { issuer: who.issuer, subject: who.subject } },
        include: { user: true },
      });
      if (!identity) return;
      const membership = await tx.membership.findUnique({
        where: { orgId_userId: { orgId, userId: identity.userId } },
      });
      if (!membership) return;
      if (
        (await this.keepLastOwner(tx, orgId, membership.role, 'VIEWER', identity.userId)) ===
        'OWNER'
      )
        return;
      await tx.membership.delete({ where: { id: membership.id } });
      const ctx = this.ctx(identity.userId, identity.user.email, requestId);
      await this.audit.record(tx, ctx, {
        orgId,
        action: 'member.sso_remove',
        targetType: 'member',
        targetId: identity.userId,
        before: { role: membership.role },
        after: { connectionId },
      });
    });
  }

  private async keepLastOwner(
    tx: Tx,
    orgId: string,
    current: Role,
    next: Role,
    userId: string,
  ): Promise<Role> {
    if (current !== 'OWNER' || ROLE_RANK[next] >= ROLE_RANK.OWNER) return next;
    const owners = await tx.membership.count({ where: { orgId, role: 'OWNER' } });
    if (owners > 1) return next;
    this.logger.warn(
      { event: 'auth.sso_role_kept', orgId, userId, mapped: next },
      'SSO mapping would demote the last owner; role kept',
    );
    return current;
  }
}
