import { Controller, Delete, Get, Patch, Post } from '@nestjs/common';
import { pageQuery, type PageQuery } from '../common/pagination.js';
import type { OrgContext } from '../common/request-context.js';
import { Api, Idempotent, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { orgParams } from '../orgs/orgs.dto.js';
import {
  createEnvironmentBody,
  environmentPage,
  environmentView,
  envParams,
  updateEnvironmentBody,
  type CreateEnvironmentBody,
  type UpdateEnvironmentBody,
} from './environments.dto.js';
import { EnvironmentsService } from './environments.service.js';

@Controller('api/v1/orgs/:org/environments')
export class EnvironmentsController {
  constructor(private readonly environments: EnvironmentsService) {}

  @Get()
  @Permission('environments:read')
  @Api({
    tag: 'environments',
    summary: 'List environments',
    params: orgParams,
    query: pageQuery,
    response: environmentPage,
  })
  list(@OrgCtx() ctx: OrgContext, @Valid('query') query: PageQuery) {
    return this.environments.list(ctx, query);
  }

  @Post()
  @Permission('environments:write')
  @Idempotent()
  @Api({
    tag: 'environments',
    summary: 'Create an environment',
    params: orgParams,
    body: createEnvironmentBody,
    response: environmentView,
    status: 201,
  })
  create(@OrgCtx() ctx: OrgContext, @Valid('body') body: CreateEnvironmentBody) {
    return this.environments.create(ctx, body);
  }

  @Get(':env')
  @Permission('environments:read')
  @Api({
    tag: 'environments',
    summary: 'Get an environment',
    params: envParams,
    response: environmentView,
  })
  get(@OrgCtx() ctx: OrgContext, @Valid('params') params: { env: string }) {
    return this.environments.get(ctx, params.env);
  }

  @Patch(':env')
  @Permission('environments:write')
  @Api({
    tag: 'environments',
    summary: 'Update an environment',
    params: envParams,
    body: updateEnvironmentBody,
    response: environmentView,
  })
  update(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') params: { env: string },
    @Valid('body') body: UpdateEnvironmentBody,
  ) {
    return this.environments.update(ctx, params.env, body);
  }

  @Delete(':env')
  @Permission('environments:write')
  @Api({ tag: 'environments', summary: 'Delete an environment', params: envParams, status: 204 })
  async delete(@OrgCtx() ctx: OrgContext, @Valid('params') params: { env: string }) {
    await this.environments.delete(ctx, params.env);
  }
}
