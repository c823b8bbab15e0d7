import type { Role } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { ROLE_RANK } from './permissions.js';

/** True when a member holding `actor` may grant `role`: nobody grants above their own role. */
export function mayGrant(actor: Role, role: Role): boolean {
  return ROLE_RANK[role] <= ROLE_RANK[actor];
}

/**
 * The one decision on role grants. Every path that gives a membership a role calls it: invite,
 * member update (also for the role being replaced: nobody changes a member above themselves), SSO
 * connection saves (every mapped role and the default role, against the saver's role) and JIT
 * provisioning (the mapped role, against the role of whoever saved the connection).
 * Throws PermissionDenied naming both roles; `what` says which grant (e.g. `roleMapping.values.admins`).
 */
export function assertMayGrant(actor: Role, role: Role, what = 'role'): void {
  if (!mayGrant(actor, role))
    throw errors.permissionDenied(
      `a member with role ${actor} cannot grant ${role} (${what}); only ${role === 'OWNER' ? 'an OWNER' : `${role} or above`} can`,
    );
}
