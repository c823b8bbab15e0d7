import { describe, expect, it } from 'vitest';
import type { Role } from '@switchyard/db';
import { ROLE_RANK } from './permissions.js';
import { assertMayGrant, mayGrant } from './role-grant.js';

const ROLES: Role[] = ['VIEWER', 'EDITOR', 'ADMIN', 'OWNER'];

describe('assertMayGrant', () => {
  it.each(ROLES.flatMap((actor) => ROLES.map((role) => [actor, role] as const)))(
    '%s granting %s',
    (actor, role) => {
      const allowed = ROLE_RANK[role] <= ROLE_RANK[actor];
      expect(mayGrant(actor, role)).toBe(allowed);
      if (allowed) expect(() => assertMayGrant(actor, role)).not.toThrow();
      else
        expect(() => assertMayGrant(actor, role, 'defaultRole')).toThrow(
          expect.objectContaining({
            code: 'PermissionDenied',
            message: expect.stringContaining('defaultRole'),
          }),
        );
    },
  );

  it('an ADMIN cannot grant OWNER; an OWNER can', () => {
    expect(() => assertMayGrant('ADMIN', 'OWNER')).toThrow(/cannot grant OWNER/);
    expect(() => assertMayGrant('OWNER', 'OWNER')).not.toThrow();
  });
});
