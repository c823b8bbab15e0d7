import { Inject, Injectable } from '@nestjs/common';
import {
  withTransaction,
  type Database,
  type Membership,
  type Role,
  type Tx,
  type User,
} from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { AuditService } from '../audit/audit.service.js';
import { pageArgs, toPage, type Page, type PageQuery } from '../common/pagination.js';
import { requirePermission } from '../common/permissions.js';
import { assertMayGrant } from '../common/role-grant.js';
import type { OrgContext } from '../common/request-context.js';
import { DB } from '../common/tokens.js';
import type { ChangeRoleBody, InviteMemberBody, MemberView } from './members.dto.js';

function view(m: Membership & { user: User }): MemberView {
  return {
    userId: m.userId,
    email: m.user.email,
    name: m.user.name,
    role: m.role,
    createdAt: m.createdAt.toISOString(),
  };
}

/**
 * Members and roles. Invariants: an organisation always keeps at least one OWNER; nobody grants a
 * role above their own, nor changes or removes a member above themselves ({@link assertMayGrant}).
 * Every change locks the organisation row first, so two concurrent demotions cannot both see
 * "another owner remains".
 */
@Injectable()
export class MembersService {
  constructor(
    @Inject(DB) private readonly db: Database,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: OrgContext, query: PageQuery): Promise<Page<MemberView>> {
    requirePermission(ctx, 'members:read');
    const page = pageArgs(query);
    const rows = await this.db.membership.findMany({
      ...page,
      where: { ...page.where, orgId: ctx.org.id },
      include: { user: true },
    });
    return toPage(rows, query.limit, view);
  }

  /** Adds a user by email (creating the account on first sight; SSO links it on first login). */
  async invite(ctx: OrgContext, body: InviteMemberBody): Promise<MemberView> {
    requirePermission(ctx, 'members:write');
    return withTransaction(this.db, async (tx) => {
      const callerRole = await this.callerRole(tx, ctx);
      assertMayGrant(callerRole, body.role, 'role');
      const user = await tx.user.upsert({
        where: { email: body.email },
        create: { email: body.email },
        update: {},
      });
      const existing = await tx.membership.findUnique({
        where: { orgId_userId: { orgId: ctx.org.id, userId: user.id } },
      });
      if (existing) throw errors.alreadyExists(`${body.email} is already a member`);
      const created = await tx.membership.create({
        data: { orgId: ctx.org.id, userId: user.id, role: body.role },
        include: { user: true },
      });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'member.invite',
        targetType: 'member',
        targetId: user.id,
        after: view(created),
      });
      return view(created);
    });
  }

  async changeRole(ctx: OrgContext, userId: string, body: ChangeRoleBody): Promise<MemberView> {
    requirePermission(ctx, 'members:write');
    return withTransaction(this.db, async (tx) => {
      const { target: before, callerRole } = await this.load(tx, ctx, userId);
      assertMayGrant(callerRole, before.role, "the member's current role");
      assertMayGrant(callerRole, body.role, 'role');
      if (before.role === 'OWNER' && body.role !== 'OWNER')
        await this.ensureAnotherOwner(tx, ctx.org.id, 'the last owner cannot be demoted');
      const after = await tx.membership.update({
        where: { id: before.id },
        data: { role: body.role },
        include: { user: true },
      });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'member.role_change',
        targetType: 'member',
        targetId: userId,
        before: view(before),
        after: view(after),
      });
      return view(after);
    });
  }

  async remove(ctx: OrgContext, userId: string): Promise<void> {
    requirePermission(ctx, 'members:write');
    await this.removeMember(ctx, userId, 'member.remove');
  }

  /** The caller leaves the organisation (any role; the last owner cannot). */
  async leave(ctx: OrgContext): Promise<void> {
    await this.removeMember(ctx, ctx.principal.userId, 'member.leave');
  }

  private async removeMember(
    ctx: OrgContext,
    userId: string,
    action: 'member.remove' | 'member.leave',
  ): Promise<void> {
    await withTransaction(this.db, async (tx) => {
      const { target: before, callerRole } = await this.load(tx, ctx, userId);
      if (before.role === 'OWNER') {
        if (action === 'member.remove')
          assertMayGrant(callerRole, before.role, 'removing an owner');
        await this.ensureAnotherOwner(
          tx,
          ctx.org.id,
          'the last owner cannot leave the organisation',
        );
      }
      await tx.membership.delete({ where: { id: before.id } });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action,
        targetType: 'member',
        targetId: userId,
        before: view(before),
      });
    });
  }

  private async lockOrg(tx: Tx, orgId: string): Promise<void> {
    await tx.$queryRaw`SELECT id FROM organisations WHERE id = ${orgId} FOR UPDATE`;
  }

  /**
   * Locks the org, then reads the target and the caller's role again: the guard's view of the
   * caller may be stale by now (a concurrent request could have demoted them).
   */
  private async load(
    tx: Tx,
    ctx: OrgContext,
    userId: string,
  ): Promise<{ target: Membership & { user: User }; callerRole: Role }> {
    const callerRole = await this.callerRole(tx, ctx);
    const target = await tx.membership.findUnique({
      where: { orgId_userId: { orgId: ctx.org.id, userId } },
      include: { user: true },
    });
    if (!target) throw errors.notFound('member not found');
    return { target, callerRole };
  }

  /** Locks the organisation row and returns the caller's current role. */
  private async callerRole(tx: Tx, ctx: OrgContext): Promise<Role> {
    await this.lockOrg(tx, ctx.org.id);
    const me = await tx.membership.findUnique({
      where: { orgId_userId: { orgId: ctx.org.id, userId: ctx.principal.userId } },
    });
    if (!me) throw errors.notFound('organisation not found');
    return me.role;
  }

  private async ensureAnotherOwner(tx: Tx, orgId: string, message: string): Promise<void> {
    const owners = await tx.membership.count({ where: { orgId, role: 'OWNER' satisfies Role } });
    if (owners <= 1) throw errors.failedPrecondition(message);
  }
}
