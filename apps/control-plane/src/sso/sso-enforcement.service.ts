import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import type { OrgAccessPolicy } from '../auth/org-access-policy.js';
import type { Principal } from '../common/request-context.js';
import { DB } from '../common/tokens.js';

/** What a refused session is told. */
export const SESSION_NOT_SSO = 'this organisation requires signing in through its single sign-on';
/** What a refused personal access token is told: how to get one that works. */
export const PAT_NOT_SSO =
  'this organisation enforces single sign-on and this personal access token is not authorised for it: sign in through the organisation’s single sign-on, then create a new token from that session';

/**
 * "Enforce SSO": while an organisation has an enforced connection, every user credential that
 * reaches it must be authorised by one of those connections.
 *
 * - A browser session: it was opened through one of the enforced connections.
 * - A personal access token (API and git over HTTP): it was minted from such a session (the
 *   connection ids recorded on the token at creation, like GitHub's SAML-authorised tokens).
 *   Turning enforcement on blocks existing unauthorised tokens at once: this is checked on use.
 *
 * Client tokens and instance credentials are not user credentials: they belong to the
 * organisation (created by its admins, scoped to its environments, read-only) and keep working.
 * Operator commands (`via: system`) never come through HTTP.
 */
export async function checkSsoEnforcement(
  db: Database,
  principal: Principal,
  orgId: string,
): Promise<void> {
  if (principal.via === 'system') return;
  const enforced = await db.ssoConnection.findMany({
    where: { orgId, enforce: true },
    select: { id: true },
  });
  if (enforced.length === 0) return;
  const authorised = principal.ssoConnectionIds ?? [];
  if (enforced.some((c) => authorised.includes(c.id))) return;
  throw errors.permissionDenied(principal.via === 'pat' ? PAT_NOT_SSO : SESSION_NOT_SSO);
}

/** The guard's {@link OrgAccessPolicy}: {@link checkSsoEnforcement} on every organisation route. */
@Injectable()
export class SsoEnforcementService implements OrgAccessPolicy {
  constructor(@Inject(DB) private readonly db: Database) {}

  check(principal: Principal, orgId: string): Promise<void> {
    return checkSsoEnforcement(this.db, principal, orgId);
  }
}

const ORG_PATH = /^\/orgs\/([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)(?:[/?#]|$)/;

/**
 * After a login through `connectionId`: when `returnTo` is a page of an organisation the user is a
 * member of and that organisation enforces SSO through other connections, the connection to use
 * (its oldest enforced one); otherwise null. Non-members learn nothing (they get the 404 later).
 */
export async function ssoRequiredFor(
  db: Database,
  userId: string,
  connectionId: string,
  returnTo: string,
): Promise<string | null> {
  const slug = ORG_PATH.exec(returnTo)?.[1];
  if (!slug) return null;
  const org = await db.organisation.findUnique({
    where: { slug },
    select: { id: true, memberships: { where: { userId }, select: { id: true } } },
  });
  if (!org || org.memberships.length === 0) return null;
  const enforced = await db.ssoConnection.findMany({
    where: { orgId: org.id, enforce: true },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
  });
  if (enforced.length === 0 || enforced.some((c) => c.id === connectionId)) return null;
  return enforced[0]!.id;
}
