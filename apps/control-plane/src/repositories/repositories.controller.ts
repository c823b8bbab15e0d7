import { Controller, Delete, Get, Post } from '@nestjs/common';
import { pageQuery, type PageQuery } from '../common/pagination.js';
import type { OrgContext } from '../common/request-context.js';
import { Api, Idempotent, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { orgParams } from '../orgs/orgs.dto.js';
import {
  connectionTestView,
  createRepositoryBody,
  repoParams,
  repositoryPage,
  repositoryView,
  type CreateRepositoryBody,
} from './repositories.dto.js';
import { RepositoriesService } from './repositories.service.js';

@Controller('api/v1/orgs/:org/repositories')
export class RepositoriesController {
  constructor(private readonly repositories: RepositoriesService) {}

  @Get()
  @Permission('repositories:read')
  @Api({
    tag: 'repositories',
    summary: 'List git repositories',
    params: orgParams,
    query: pageQuery,
    response: repositoryPage,
  })
  list(@OrgCtx() ctx: OrgContext, @Valid('query') query: PageQuery) {
    return this.repositories.list(ctx, query);
  }

  @Post()
  @Permission('repositories:write')
  @Idempotent()
  @Api({
    tag: 'repositories',
    summary: 'Register a git repository (credential encrypted at rest)',
    params: orgParams,
    body: createRepositoryBody,
    response: repositoryView,
    status: 201,
  })
  create(@OrgCtx() ctx: OrgContext, @Valid('body') body: CreateRepositoryBody) {
    return this.repositories.create(ctx, body);
  }

  @Get(':repositoryId')
  @Permission('repositories:read')
  @Api({
    tag: 'repositories',
    summary: 'Get a git repository',
    params: repoParams,
    response: repositoryView,
  })
  get(@OrgCtx() ctx: OrgContext, @Valid('params') params: { repositoryId: string }) {
    return this.repositories.get(ctx, params.repositoryId);
  }

  @Post(':repositoryId/test-connection')
  @Permission('repositories:write')
  @Api({
    tag: 'repositories',
    summary: 'Test that the repository answers (through the outbound address policy)',
    params: repoParams,
    response: connectionTestView,
  })
  testConnection(@OrgCtx() ctx: OrgContext, @Valid('params') params: { repositoryId: string }) {
    return this.repositories.testConnection(ctx, params.repositoryId);
  }

  @Delete(':repositoryId')
  @Permission('repositories:write')
  @Api({
    tag: 'repositories',
    summary: 'Delete a git repository and its credential',
    params: repoParams,
    status: 204,
  })
  async delete(@OrgCtx() ctx: OrgContext, @Valid('params') params: { repositoryId: string }) {
    await this.repositories.delete(ctx, params.repositoryId);
  }
}
