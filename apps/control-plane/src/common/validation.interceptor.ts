import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import { errors, type FieldViolation } from '@switchyard/flags';
import { API_KEY, type ApiSpec } from './route.decorators.js';

/** `["flags", 2, "key"]` → `flags[2].key`. */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}

/** Violations for a failed zod parse, paths prefixed with the request part. */
export function violations(prefix: string, error: z.ZodError): FieldViolation[] {
  return error.issues.map((issue) => ({
    path: formatPath(prefix, issue.path),
    message: issue.message,
  }));
}

/**
 * Parses params, query and body with the route's schemas before the handler runs (after the
 * guard, so an anonymous caller learns nothing about the input shape). Failure is one 400 listing
 * every field.
 */
@Injectable()
export class ValidationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<ApiSpec | undefined>(API_KEY, context.getHandler());
    if (!spec) return next.handle();
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const found: FieldViolation[] = [];
    const valid: Record<string, unknown> = {};
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = spec[part];
      if (!schema) continue;
      const result = schema.safeParse(part === 'body' ? (req.body ?? {}) : req[part]);
      if (result.success) valid[part] = result.data;
      else found.push(...violations(part, result.error));
    }
    if (found.length > 0) throw errors.invalidArgument('request is invalid', found);
    req.sy = { ...req.sy, valid };
    return next.handle();
  }
}
