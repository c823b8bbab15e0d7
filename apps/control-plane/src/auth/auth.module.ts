import { Global, Module } from '@nestjs/common';
import { AuthRateLimitInterceptor } from './auth-rate-limit.interceptor.js';
import { AuthenticatorService } from './authenticator.service.js';
import { MySessionsService } from './my-sessions.service.js';
import { PatsService } from './pats.service.js';
import { RateLimiter } from './rate-limiter.js';
import { SessionController } from './session.controller.js';
import { SessionsService } from './sessions.service.js';
import { UsersService } from './users.service.js';

/** Sessions, PATs and the shared rate limiter (global: credential-minting routes of every module use it). */
@Global()
@Module({
  controllers: [SessionController],
  providers: [
    SessionsService,
    AuthenticatorService,
    PatsService,
    UsersService,
    MySessionsService,
    RateLimiter,
    AuthRateLimitInterceptor,
  ],
  exports: [
    SessionsService,
    AuthenticatorService,
    PatsService,
    RateLimiter,
    AuthRateLimitInterceptor,
  ],
})
export class AuthModule {}
