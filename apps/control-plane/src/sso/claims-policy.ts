import type { Role, SsoKind } from '@switchyard/db';
import { ROLE_RANK } from '../common/permissions.js';
import type { LoginErrorCode } from './login-errors.js';

/** A connection as the login flow sees it (the platform one comes from config, org ones from the database). */
export interface ResolvedConnection {
  /** Database id, or `platform`. */
  id: string;
  orgId: string | null;
  kind: SsoKind;
  issuer: string;
  clientId: string;
  clientSecret: string;
  allowedDomains: readonly string[];
  roleMapping: RoleMapping;
  defaultRole: Role;
  /** Role of whoever last saved it: the most it may grant (the platform connection grants no membership). */
  savedByRole: Role;
  auth0Organization: string | null;
  /** Off: the connection starts and completes no login. */
  enabled: boolean;
  /** Changes whenever the connection is edited (cache key of its discovery). */
  version: string;
}

/** Claim values → roles. The highest matching role wins; no match gives the connection's default role. */
export interface RoleMapping {
  /** Claim holding a string or a list of strings, e.g. `groups` or `https://switchyard.dev/roles`. */
  claim: string;
  values: Record<string, Role>;
  /** Only mapped values grant membership: without one the login is refused and an existing membership removed. */
  requireMatch: boolean;
}

/** Default claim per kind: Auth0 Actions must namespace custom claims. */
export function defaultRoleClaim(kind: SsoKind): string {
  return kind === 'AUTH0' ? 'https://switchyard.dev/roles' : 'groups';
}

/** Okta stops adding groups to the claim at 100 (silently); reaching it means the list may be cut. */
export const GROUPS_TRUNCATION_LIMIT = 100;

/** Outcome of the claim checks: the verified e-mail, the role (null: no mapped value and one is required) and warnings to log. */
export interface ClaimsDecision {
  email: string;
  name: string | null;
  role: Role | null;
  warnings: string[];
}

/** A claims check that failed; `reason` goes to the auth-failure log, never to the browser. */
export class ClaimsRejected extends Error {
  constructor(
    readonly reason: string,
    /** What the sign-in page tells the user (see `login-errors.ts`). */
    readonly loginCode: LoginErrorCode = 'refused',
  ) {
    super(reason);
  }
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

function claimValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Highest role whose claim value is present; `fallback` when none matches (null when a match is required). */
export function mapRole(
  mapping: Omit<RoleMapping, 'requireMatch'> & { requireMatch?: boolean },
  claims: Record<string, unknown>,
  fallback: Role,
): Role | null {
  let role: Role | null = null;
  for (const value of claimValues(claims[mapping.claim])) {
    const mapped = Object.hasOwn(mapping.values, value) ? mapping.values[value] : undefined;
    if (mapped && (role === null || ROLE_RANK[mapped] > ROLE_RANK[role])) role = mapped;
  }
  if (role === null) return mapping.requireMatch ? null : fallback;
  return ROLE_RANK[role] > ROLE_RANK[fallback] ? role : fallback;
}

/**
 * Provider-specific checks on verified ID-token claims (signature, iss, aud, exp, nonce were checked
 * by openid-client). Google: `email_verified` and an `hd` in the allowed domains. Auth0: `org_id`
 * when the connection names an organization. All kinds: the e-mail domain allowlist.
 */
export function decide(
  connection: ResolvedConnection,
  claims: Record<string, unknown>,
): ClaimsDecision {
  const email = typeof claims['email'] === 'string' ? claims['email'].toLowerCase() : null;
  if (!email || !email.includes('@')) throw new ClaimsRejected('no e-mail claim');
  const verified = claims['email_verified'];
  if (connection.kind === 'GOOGLE' && verified !== true)
    throw new ClaimsRejected('email_verified is not true', 'email-unverified');
  if (verified === false) throw new ClaimsRejected('email_verified is false', 'email-unverified');
  const allowed = connection.allowedDomains.map((d) => d.toLowerCase());
  if (connection.kind === 'GOOGLE') {
    const hd = claims['hd'];
    // `hd` as a request parameter is only a UI hint: the ID-token claim is what proves the Workspace.
    if (typeof hd !== 'string') throw new ClaimsRejected('hd claim missing', 'email-not-allowed');
    if (allowed.length > 0 && !allowed.includes(hd.toLowerCase()))
      throw new ClaimsRejected(`hd claim "${hd}" is not an allowed domain`, 'email-not-allowed');
  }
  if (allowed.length > 0 && !allowed.includes(domainOf(email)))
    throw new ClaimsRejected(
      `e-mail domain "${domainOf(email)}" is not allowed`,
      'email-not-allowed',
    );
  if (
    connection.kind === 'AUTH0' &&
    connection.auth0Organization !== null &&
    claims['org_id'] !== connection.auth0Organization
  ) {
    throw new ClaimsRejected(
      'org_id does not match the connection organization',
      'email-not-allowed',
    );
  }
  const warnings: string[] = [];
  const listed = claimValues(claims[connection.roleMapping.claim]);
  if (listed.length >= GROUPS_TRUNCATION_LIMIT) {
    warnings.push(
      `${connection.roleMapping.claim} claim holds ${listed.length} values and may be truncated; roles come from the mapped values present`,
    );
  }
  const name = typeof claims['name'] === 'string' ? claims['name'].slice(0, 200) : null;
  return {
    email,
    name,
    role: mapRole(connection.roleMapping, claims, connection.defaultRole),
    warnings,
  };
}
