import { Controller, Delete, Get, Patch, Post } from '@nestjs/common';
import { pageQuery, type PageQuery } from '../common/pagination.js';
import type { OrgContext, RequestContext } from '../common/request-context.js';
import { Api, Ctx, Idempotent, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import {
  createOrgBody,
  deleteOrgBody,
  orgPage,
  orgParams,
  orgView,
  renameOrgBody,
  type CreateOrgBody,
  type DeleteOrgBody,
  type RenameOrgBody,
} from './orgs.dto.js';
import { OrgsService } from './orgs.service.js';

@Controller('api/v1/orgs')
export class OrgsController {
  constructor(private readonly orgs: OrgsService) {}

  @Post()
  @Permission('self')
  @Idempotent()
  @Api({
    tag: 'organisations',
    summary: 'Create an organisation (the caller becomes its owner)',
    body: createOrgBody,
    response: orgView,
    status: 201,
  })
  create(@Ctx() ctx: RequestContext, @Valid('body') body: CreateOrgBody) {
    return this.orgs.create(ctx, body);
  }

  @Get()
  @Permission('self')
  @Api({
    tag: 'organisations',
    summary: 'List my organisations',
    query: pageQuery,
    response: orgPage,
  })
  list(@Ctx() ctx: RequestContext, @Valid('query') query: PageQuery) {
    return this.orgs.listMine(ctx, query);
  }

  @Get(':org')
  @Permission('org:read')
  @Api({
    tag: 'organisations',
    summary: 'Get an organisation',
    params: orgParams,
    response: orgView,
  })
  get(@OrgCtx() ctx: OrgContext) {
    return this.orgs.get(ctx);
  }

  @Patch(':org')
  @Permission('org:write')
  @Api({
    tag: 'organisations',
    summary: 'Rename an organisation',
    params: orgParams,
    body: renameOrgBody,
    response: orgView,
  })
  rename(@OrgCtx() ctx: OrgContext, @Valid('body') body: RenameOrgBody) {
    return this.orgs.rename(ctx, body);
  }

  @Delete(':org')
  @Permission('org:delete')
  @Api({
    tag: 'organisations',
    summary: 'Delete an organisation (body must repeat the slug)',
    params: orgParams,
    body: deleteOrgBody,
    status: 204,
  })
  async delete(@OrgCtx() ctx: OrgContext, @Valid('body') body: DeleteOrgBody) {
    await this.orgs.delete(ctx, body);
  }
}
