import {
  Inject,
  Injectable,
  Optional,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { isOrgPermission, roleHolds, type RoutePermission } from '../common/permissions.js';
import { PERMISSION_KEY } from '../common/route.decorators.js';
import { DB } from '../common/tokens.js';
import { AuthenticatorService } from './authenticator.service.js';
import { ORG_ACCESS_POLICY, type OrgAccessPolicy } from './org-access-policy.js';

const SLUG = /^[a-z0-9-]{1,40}$/;

/**
 * The one global guard. Fails closed: a route without a declared permission is refused. Order of
 * answers: 401 (who are you) → 404 (not a member: another tenant's org does not exist for you) →
 * 403 (member, but the role is too low).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: AuthenticatorService,
    @Inject(DB) private readonly db: Database,
    @Optional() @Inject(ORG_ACCESS_POLICY) private readonly orgPolicy?: OrgAccessPolicy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const permission = this.reflector.getAllAndOverride<RoutePermission | undefined>(
      PERMISSION_KEY,
      [context.getHandler(), context.getClass()],
    );
    if (!permission) throw errors.internal('route declares no permission');
    if (permission === 'public') return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = await this.authenticator.authenticate(req);
    req.sy = { ...req.sy, principal };
    if (!isOrgPermission(permission)) return true;
    const slug = (req.params as Record<string, string | undefined>)['org'];
    if (slug === undefined) throw errors.internal('organisation route without :org');
    // A value that cannot be a slug names no organisation (and never reaches the database).
    if (!SLUG.test(slug)) throw errors.notFound('organisation not found');
    const membership = await this.db.membership.findFirst({
      where: { userId: principal.userId, org: { slug } },
      include: { org: true },
    });
    if (!membership) throw errors.notFound('organisation not found');
    if (!roleHolds(membership.role, permission))
      throw errors.permissionDenied(`requires ${permission}`);
    await this.orgPolicy?.check(principal, membership.orgId);
    req.sy.org = { id: membership.orgId, slug: membership.org.slug, role: membership.role };
    return true;
  }
}
