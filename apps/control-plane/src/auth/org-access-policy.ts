import type { Principal } from '../common/request-context.js';

/**
 * An extra rule the guard applies after it has found the caller's membership of an organisation
 * (for example: the organisation requires sessions opened through its own SSO). Throws to refuse.
 */
export interface OrgAccessPolicy {
  check(principal: Principal, orgId: string): Promise<void>;
}

/** DI token of the optional {@link OrgAccessPolicy}. */
export const ORG_ACCESS_POLICY = Symbol('ORG_ACCESS_POLICY');
