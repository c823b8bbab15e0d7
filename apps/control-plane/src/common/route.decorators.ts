import {
  applyDecorators,
  createParamDecorator,
  HttpCode,
  SetMetadata,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { errors } from '@switchyard/flags';
import type { RoutePermission } from './permissions.js';
import type { OrgContext, RequestContext } from './request-context.js';

export const PERMISSION_KEY = 'sy:permission';
export const API_KEY = 'sy:api';
export const IDEMPOTENT_KEY = 'sy:idempotent';

/** Declares the permission a route requires; the global guard refuses routes without one. */
export const Permission = (permission: Exclude<RoutePermission, 'public'>) =>
  SetMetadata(PERMISSION_KEY, permission);
/** Declares a route that needs no authentication. */
export const Public = () => SetMetadata(PERMISSION_KEY, 'public' satisfies RoutePermission);
/** Marks a creating POST that honours the `Idempotency-Key` header. */
export const Idempotent = () => SetMetadata(IDEMPOTENT_KEY, true);

/** Route contract: validates input (400 with field paths) and documents it in OpenAPI. */
export interface ApiSpec {
  summary: string;
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
  /** Success status; defaults to 200 (201 for POST is set explicitly by routes). */
  status?: number;
  /** Media type of the success response when it is not JSON (`response` then describes its frames). */
  contentType?: 'text/event-stream';
}

/** Attaches an {@link ApiSpec}. */
export function Api(spec: ApiSpec) {
  return applyDecorators(SetMetadata(API_KEY, spec), HttpCode(spec.status ?? 200));
}

function request(ctx: ExecutionContext): FastifyRequest {
  return ctx.switchToHttp().getRequest<FastifyRequest>();
}

/** The validated part of the request (`params`, `query` or `body`) as parsed by the route's schema. */
export const Valid = createParamDecorator(
  (part: 'params' | 'query' | 'body', ctx: ExecutionContext): unknown => {
    return request(ctx).sy?.valid?.[part];
  },
);

/** The caller's {@link RequestContext}. */
export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext => {
  const req = request(ctx);
  if (!req.sy?.principal) throw errors.unauthenticated();
  return { principal: req.sy.principal, requestId: String(req.id) };
});

/** The caller's {@link OrgContext}; only on routes with an organisation permission. */
export const OrgCtx = createParamDecorator((_: unknown, ctx: ExecutionContext): OrgContext => {
  const req = request(ctx);
  if (!req.sy?.principal || !req.sy.org) throw errors.internal('route has no organisation scope');
  return { principal: req.sy.principal, org: req.sy.org, requestId: String(req.id) };
});
