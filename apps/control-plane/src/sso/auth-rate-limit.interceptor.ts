import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Observable } from 'rxjs';
import { errors } from '@switchyard/flags';
import { CONFIG, LOGGER } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';

const WINDOW_MS = 60_000;

/**
 * Fixed one-minute window per client IP on `/api/v1/auth/*` (429 in the error shape). Kept in
 * process memory: with several control-plane replicas each enforces its own budget.
 */
@Injectable()
export class AuthRateLimitInterceptor implements NestInterceptor {
  private window = 0;
  private counts = new Map<string, number>();

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const window = Math.floor(Date.now() / WINDOW_MS);
    if (window !== this.window) {
      // A new window forgets every client: memory stays bounded by one minute of traffic.
      this.window = window;
      this.counts = new Map();
    }
    const count = (this.counts.get(req.ip) ?? 0) + 1;
    this.counts.set(req.ip, count);
    if (count > this.config.authRateLimitPerMinute) {
      if (count === this.config.authRateLimitPerMinute + 1) this.logger.warn({ event: 'auth.rate_limited', ip: req.ip, path: req.url.split('?')[0] }, 'auth rate limit reached');
      throw errors.resourceExhausted('too many authentication requests; try again in a minute');
    }
    return next.handle();
  }
}
