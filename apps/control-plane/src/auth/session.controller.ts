import { Controller, Delete, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { pageQuery, type PageQuery } from '../common/pagination.js';
import type { RequestContext } from '../common/request-context.js';
import { Api, Ctx, Idempotent, Permission, Valid } from '../common/route.decorators.js';
import { DB } from '../common/tokens.js';
import { readCookie } from './authenticator.service.js';
import { createdPat, createPatBody, meView, patPage, patParams, sessionView, type CreatePatBody } from './pats.dto.js';
import { PatsService } from './pats.service.js';
import { SESSION_COOKIE, SessionsService } from './sessions.service.js';

@Controller('api/v1')
export class SessionController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly pats: PatsService,
    @Inject(DB) private readonly db: Database,
  ) {}

  @Get('session')
  @Permission('self')
  @Api({ tag: 'session', summary: 'Current caller and the CSRF token of the cookie session', response: sessionView })
  async session(@Ctx() ctx: RequestContext, @Req() req: FastifyRequest) {
    const user = await this.db.user.findUnique({ where: { id: ctx.principal.userId } });
    if (!user) throw errors.unauthenticated();
    const secret = ctx.principal.via === 'session' ? readCookie(req.headers.cookie, SESSION_COOKIE) : undefined;
    return { user: { id: user.id, email: user.email, name: user.name }, via: ctx.principal.via, csrfToken: secret ? this.sessions.csrfToken(secret) : null };
  }

  @Delete('session')
  @Permission('self')
  @Api({ tag: 'session', summary: 'Log out: delete the server-side session and clear the cookie', status: 204 })
  async logout(@Ctx() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    if (ctx.principal.sessionId) await this.sessions.destroy(ctx.principal.sessionId);
    void reply.header('set-cookie', this.sessions.cookie('', 0));
  }

  @Get('me/tokens')
  @Permission('self')
  @Api({ tag: 'personal-access-tokens', summary: 'List my personal access tokens', query: pageQuery, response: patPage })
  listTokens(@Ctx() ctx: RequestContext, @Valid('query') query: PageQuery) {
    return this.pats.list(ctx, query);
  }

  @Post('me/tokens')
  @Permission('self')
  @Idempotent()
  @Api({ tag: 'personal-access-tokens', summary: 'Create a personal access token (secret shown once)', body: createPatBody, response: createdPat, status: 201 })
  createToken(@Ctx() ctx: RequestContext, @Valid('body') body: CreatePatBody) {
    return this.pats.create(ctx, body);
  }

  @Delete('me/tokens/:tokenId')
  @Permission('self')
  @Api({ tag: 'personal-access-tokens', summary: 'Revoke a personal access token', params: patParams, status: 204 })
  async revokeToken(@Ctx() ctx: RequestContext, @Valid('params') params: { tokenId: string }) {
    await this.pats.revoke(ctx, params.tokenId);
  }

  @Get('me')
  @Permission('self')
  @Api({ tag: 'session', summary: 'My profile', response: meView })
  async me(@Ctx() ctx: RequestContext) {
    const user = await this.db.user.findUnique({ where: { id: ctx.principal.userId } });
    if (!user) throw errors.unauthenticated();
    return { id: user.id, email: user.email, name: user.name };
  }
}

