import { Controller, Get, Post, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../common/request-context.js';
import { Api, Ctx, Permission, Public, Valid } from '../common/route.decorators.js';
import { AuthRateLimitInterceptor } from '../auth/auth-rate-limit.interceptor.js';
import { LoginErrorFilter } from './login-errors.js';
import {
  callbackParams,
  discoverBody,
  discoverView,
  loginQuery,
  logoutView,
  type DiscoverBody,
  type LoginQuery,
} from './sso-connections.dto.js';
import { SsoDiscoveryService } from './sso-discovery.service.js';
import { SsoLoginService, type LoginRedirect, type LoginRequest } from './sso-login.service.js';

function loginRequest(req: FastifyRequest): LoginRequest {
  const ua = req.headers['user-agent'];
  const site = req.headers['sec-fetch-site'];
  return {
    ip: req.ip,
    requestId: String(req.id),
    cookieHeader: req.headers.cookie,
    userAgent: typeof ua === 'string' ? ua : undefined,
    fetchSite: typeof site === 'string' ? site : undefined,
  };
}

function redirect(reply: FastifyReply, r: LoginRedirect): void {
  void reply
    .header('set-cookie', r.setCookies)
    .header('cache-control', 'no-store')
    .header('location', r.location);
}

/** Redirect-based login for the console: start → IdP → callback → session cookie → returnTo. */
@Controller('api/v1/auth')
@UseInterceptors(AuthRateLimitInterceptor)
export class SsoLoginController {
  constructor(
    private readonly login: SsoLoginService,
    private readonly discovery: SsoDiscoveryService,
  ) {}

  @Post('discover')
  @Public()
  @Api({
    tag: 'auth',
    summary:
      'Find the company SSO connection for a work e-mail (through a domain an organisation verified) or an organisation slug; one generic answer when there is none',
    body: discoverBody,
    response: discoverView,
  })
  discover(@Req() req: FastifyRequest, @Valid('body') body: DiscoverBody) {
    return this.discovery.discover(body, String(req.id));
  }

  @Get('login')
  @Public()
  @UseFilters(LoginErrorFilter)
  @Api({
    tag: 'auth',
    summary:
      'Start an SSO login (or, with `link=1`, link an identity to the signed-in account): 302 to the identity provider',
    query: loginQuery,
    status: 302,
  })
  async start(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Valid('query') query: LoginQuery,
  ) {
    redirect(
      reply,
      await this.login.start(
        loginRequest(req),
        query.connection,
        query.returnTo,
        query.link === '1' ? { csrf: query.csrf } : null,
      ),
    );
  }

  @Get('callback/:connectionId')
  @Public()
  @UseFilters(LoginErrorFilter)
  @Api({
    tag: 'auth',
    summary: 'Authorization response of one connection: sets the session cookie, 302 to returnTo',
    params: callbackParams,
    status: 302,
  })
  async callback(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Valid('params') params: { connectionId: string },
  ) {
    redirect(reply, await this.login.callback(loginRequest(req), params.connectionId, req.url));
  }

  @Post('logout')
  @Permission('self')
  @Api({
    tag: 'auth',
    summary: 'Log out: end the session; navigate to `redirectTo` (the IdP end-session endpoint)',
    response: logoutView,
  })
  async logout(@Ctx() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const out = await this.login.logout(ctx);
    void reply.header('set-cookie', out.setCookie);
    return { redirectTo: out.redirectTo };
  }
}
