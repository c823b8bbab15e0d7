import {
  applyDecorators,
  Inject,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { from, mergeMap, type Observable } from 'rxjs';
import { SwitchyardError } from '@switchyard/flags';
import { RateLimiter, type RateLimitCounter } from './rate-limiter.js';
import { CONFIG, LOGGER } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { PLATFORM_CONNECTION } from './platform-connection.js';

/** `auth`: `/api/v1/auth/*` (login, callback, logout). `token`: routes that mint a credential. */
export type RateLimitBucket = 'auth' | 'token';
const BUCKET_KEY = 'sy:rate-limit-bucket';

/** Limits a route (or every route of a controller) with the shared per-IP and per-scope budgets of `bucket`. */
export const RateLimited = (bucket: RateLimitBucket) =>
  applyDecorators(SetMetadata(BUCKET_KEY, bucket), UseInterceptors(AuthRateLimitInterceptor));

/**
 * Rate limits on authentication and credential minting, shared by all replicas (Redis; see
 * {@link RateLimiter} for the window and the Redis-down behaviour). Two budgets apply together:
 *
 * - per client IP;
 * - per scope: on `/auth/*` the organisation's SSO connection (a distributed flood against one
 *   organisation's IdP), on token routes the organisation (client tokens) or the user (PATs).
 *   The platform connection serves every user, so it has no shared budget: one distributed
 *   client could otherwise lock everybody out of signing in.
 *
 * A refusal is 429 `ResourceExhausted` with `Retry-After`, logged once per counter and window as
 * `auth.rate_limited`. Runs after the guard and input validation, so scopes come from checked values.
 */
@Injectable()
export class AuthRateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const bucket =
      this.reflector.getAllAndOverride<RateLimitBucket | undefined>(BUCKET_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'auth';
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.charge(bucket, req, reply)).pipe(mergeMap(() => next.handle()));
  }

  private async charge(
    bucket: RateLimitBucket,
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const budget = this.config.rateLimits[bucket];
    const counters: RateLimitCounter[] = [{ dimension: 'ip', value: req.ip, limit: budget.perIp }];
    const scope = scopeOf(bucket, req);
    if (scope) counters.push({ ...scope, limit: budget.perScope });
    const decision = await this.limiter.hit(bucket, counters);
    if (decision.allowed) return;
    const retryAfter = Math.ceil(decision.retryAfterMs / 1000);
    const { dimension, value } = decision.counter;
    if (decision.firstRefusal) {
      const path = req.url.split('?')[0];
      this.logger.warn(
        {
          event: 'auth.rate_limited',
          bucket,
          dimension,
          scope: dimension === 'ip' ? undefined : value,
          ip: req.ip,
          path,
          requestId: String(req.id),
        },
        'rate limit reached',
      );
    }
    void reply.header('retry-after', String(retryAfter));
    const what = bucket === 'auth' ? 'authentication requests' : 'token requests';
    const source =
      dimension === 'ip'
        ? 'from this address'
        : `for this ${dimension === 'connection' ? 'SSO connection' : dimension === 'org' ? 'organisation' : 'account'}`;
    throw new SwitchyardError(
      'ResourceExhausted',
      `too many ${what} ${source}; retry after ${retryAfter} s`,
      [],
      { retryAfterSeconds: retryAfter },
    );
  }
}

/** The second counter of a request: the organisation connection, organisation or user it concerns. */
function scopeOf(
  bucket: RateLimitBucket,
  req: FastifyRequest,
): { dimension: string; value: string } | undefined {
  if (bucket === 'token') {
    if (req.sy?.org) return { dimension: 'org', value: req.sy.org.id };
    return req.sy?.principal ? { dimension: 'user', value: req.sy.principal.userId } : undefined;
  }
  const valid = req.sy?.valid as
    { query?: { connection?: unknown }; params?: { connectionId?: unknown } } | undefined;
  const connection = valid?.query?.connection ?? valid?.params?.connectionId;
  if (typeof connection !== 'string' || connection === PLATFORM_CONNECTION) return undefined;
  return { dimension: 'connection', value: connection };
}
