import type { Role } from '@switchyard/db';
import { errors } from '@switchyard/flags';

/** Role order: a member holds every permission granted to a lower rank. */
export const ROLE_RANK: Readonly<Record<Role, number>> = {
  VIEWER: 1,
  EDITOR: 2,
  ADMIN: 3,
  OWNER: 4,
};

/** Every organisation-scoped permission and the lowest role that holds it. */
export const ORG_PERMISSIONS = {
  'org:read': 'VIEWER',
  'org:write': 'ADMIN',
  'org:delete': 'OWNER',
  'members:read': 'VIEWER',
  'members:write': 'ADMIN',
  'environments:read': 'VIEWER',
  'environments:write': 'ADMIN',
  'repositories:read': 'VIEWER',
  'repositories:write': 'ADMIN',
  'tokens:read': 'EDITOR',
  'tokens:write': 'ADMIN',
  'audit:read': 'ADMIN',
  'flags:read': 'VIEWER',
  'flags:write': 'EDITOR',
  'proposals:approve': 'EDITOR',
  'hooks:read': 'ADMIN',
  'hooks:write': 'ADMIN',
} as const satisfies Record<string, Role>;

/** A permission checked against the caller's membership of the `:org` in the path. */
export type OrgPermission = keyof typeof ORG_PERMISSIONS;
/** `self`: any authenticated user, acting on their own account; `public`: no authentication. */
export type RoutePermission = OrgPermission | 'self' | 'public';

/** True when `permission` is organisation-scoped. */
export function isOrgPermission(permission: RoutePermission): permission is OrgPermission {
  return permission in ORG_PERMISSIONS;
}

/** True when `role` holds `permission`. */
export function roleHolds(role: Role, permission: OrgPermission): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[ORG_PERMISSIONS[permission]];
}

/** Services call this first, so they stay safe when called from somewhere other than HTTP. */
export function requirePermission(ctx: { org: { role: Role } }, permission: OrgPermission): void {
  if (!roleHolds(ctx.org.role, permission)) throw errors.permissionDenied(`requires ${permission}`);
}
