import { Controller, Delete, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pageQuery, type PageQuery } from '../common/pagination.js';
import type { RequestContext } from '../common/request-context.js';
import { Api, Ctx, Idempotent, Permission, Valid } from '../common/route.decorators.js';
import { RateLimited } from './auth-rate-limit.interceptor.js';
import { readCookie } from './authenticator.service.js';
import {
  createdPat,
  createPatBody,
  meView,
  mySessionList,
  mySessionParams,
  patPage,
  patParams,
  sessionView,
  type CreatePatBody,
} from './pats.dto.js';
import { MySessionsService } from './my-sessions.service.js';
import { PatsService } from './pats.service.js';
import { SESSION_COOKIE } from './sessions.service.js';
import { UsersService } from './users.service.js';

@Controller('api/v1')
export class SessionController {
  constructor(
    private readonly users: UsersService,
    private readonly pats: PatsService,
    private readonly mySessions: MySessionsService,
  ) {}

  @Get('session')
  @Permission('self')
  @Api({
    tag: 'session',
    summary: 'Current caller and the CSRF token of the cookie session',
    response: sessionView,
  })
  session(@Ctx() ctx: RequestContext, @Req() req: FastifyRequest) {
    return this.users.session(ctx, readCookie(req.headers.cookie, SESSION_COOKIE));
  }

  @Delete('session')
  @Permission('self')
  @Api({
    tag: 'session',
    summary: 'Log out: delete the server-side session and clear the cookie',
    status: 204,
  })
  async logout(@Ctx() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('set-cookie', await this.users.logout(ctx));
  }

  @Get('me/tokens')
  @Permission('self')
  @Api({
    tag: 'personal-access-tokens',
    summary: 'List my personal access tokens',
    query: pageQuery,
    response: patPage,
  })
  listTokens(@Ctx() ctx: RequestContext, @Valid('query') query: PageQuery) {
    return this.pats.list(ctx, query);
  }

  @Post('me/tokens')
  @Permission('self')
  @Idempotent()
  @RateLimited('token')
  @Api({
    tag: 'personal-access-tokens',
    summary: 'Create a personal access token (secret shown once)',
    body: createPatBody,
    response: createdPat,
    status: 201,
  })
  createToken(@Ctx() ctx: RequestContext, @Valid('body') body: CreatePatBody) {
    return this.pats.create(ctx, body);
  }

  @Delete('me/tokens/:tokenId')
  @Permission('self')
  @Api({
    tag: 'personal-access-tokens',
    summary: 'Revoke a personal access token',
    params: patParams,
    status: 204,
  })
  async revokeToken(@Ctx() ctx: RequestContext, @Valid('params') params: { tokenId: string }) {
    await this.pats.revoke(ctx, params.tokenId);
  }

  @Get('me/sessions')
  @Permission('self')
  @Api({
    tag: 'session',
    summary:
      'List my signed-in sessions: the current one (marked) first, then the most recently active',
    response: mySessionList,
  })
  listSessions(@Ctx() ctx: RequestContext) {
    return this.mySessions.list(ctx);
  }

  @Delete('me/sessions/:sessionId')
  @Permission('self')
  @Api({
    tag: 'session',
    summary: 'Revoke one of my sessions (the current one: sign out, the cookie is cleared)',
    params: mySessionParams,
    status: 204,
  })
  async revokeSession(
    @Ctx() ctx: RequestContext,
    @Valid('params') params: { sessionId: string },
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { setCookie } = await this.mySessions.revoke(ctx, params.sessionId);
    if (setCookie) void reply.header('set-cookie', setCookie);
  }

  @Get('me')
  @Permission('self')
  @Api({ tag: 'session', summary: 'My profile', response: meView })
  me(@Ctx() ctx: RequestContext) {
    return this.users.me(ctx);
  }
}
