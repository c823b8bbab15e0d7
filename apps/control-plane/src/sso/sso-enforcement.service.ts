import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import type { OrgAccessPolicy } from '../auth/org-access-policy.js';
import type { Principal } from '../common/request-context.js';
import { DB } from '../common/tokens.js';

/**
 * "Enforce SSO": when an organisation has an enforced connection, a browser session reaches that
 * organisation only if it was opened through one of the organisation's enforced connections.
 * Personal access tokens (automation) are not sessions and keep working; revoking them is the
 * admin's tool for those.
 */
@Injectable()
export class SsoEnforcementService implements OrgAccessPolicy {
  constructor(@Inject(DB) private readonly db: Database) {}

  async check(principal: Principal, orgId: string): Promise<void> {
    if (principal.via !== 'session' || !principal.sessionId) return;
    const enforced = await this.db.ssoConnection.findMany({ where: { orgId, enforce: true }, select: { id: true } });
    if (enforced.length === 0) return;
    const sso = await this.db.ssoSession.findUnique({ where: { sessionId: principal.sessionId }, select: { connectionId: true } });
    if (!sso || !enforced.some((c) => c.id === sso.connectionId)) {
      throw errors.permissionDenied('this organisation requires signing in through its single sign-on');
    }
  }
}
