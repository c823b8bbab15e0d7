import { Controller, Delete, Get, Patch, Post } from '@nestjs/common';
import { pageQuery, type PageQuery } from '../common/pagination.js';
import type { OrgContext } from '../common/request-context.js';
import { Api, Idempotent, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { orgParams } from '../orgs/orgs.dto.js';
import {
  changeRoleBody,
  inviteMemberBody,
  memberPage,
  memberParams,
  memberView,
  type ChangeRoleBody,
  type InviteMemberBody,
} from './members.dto.js';
import { MembersService } from './members.service.js';

@Controller('api/v1/orgs/:org')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get('members')
  @Permission('members:read')
  @Api({
    tag: 'members',
    summary: 'List members',
    params: orgParams,
    query: pageQuery,
    response: memberPage,
  })
  list(@OrgCtx() ctx: OrgContext, @Valid('query') query: PageQuery) {
    return this.members.list(ctx, query);
  }

  @Post('members')
  @Permission('members:write')
  @Idempotent()
  @Api({
    tag: 'members',
    summary: 'Invite a member by email with a role',
    params: orgParams,
    body: inviteMemberBody,
    response: memberView,
    status: 201,
  })
  invite(@OrgCtx() ctx: OrgContext, @Valid('body') body: InviteMemberBody) {
    return this.members.invite(ctx, body);
  }

  @Patch('members/:userId')
  @Permission('members:write')
  @Api({
    tag: 'members',
    summary: "Change a member's role",
    params: memberParams,
    body: changeRoleBody,
    response: memberView,
  })
  changeRole(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') params: { userId: string },
    @Valid('body') body: ChangeRoleBody,
  ) {
    return this.members.changeRole(ctx, params.userId, body);
  }

  @Delete('members/:userId')
  @Permission('members:write')
  @Api({ tag: 'members', summary: 'Remove a member', params: memberParams, status: 204 })
  async remove(@OrgCtx() ctx: OrgContext, @Valid('params') params: { userId: string }) {
    await this.members.remove(ctx, params.userId);
  }

  @Post('leave')
  @Permission('org:read')
  @Api({
    tag: 'members',
    summary: 'Leave the organisation (the last owner cannot)',
    params: orgParams,
    status: 204,
  })
  async leave(@OrgCtx() ctx: OrgContext) {
    await this.members.leave(ctx);
  }
}
