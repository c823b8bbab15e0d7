/** Which real provider the dev-idp imitates: the issuer shape and the extra ID-token claims. */
export type DevIdpProfile = 'google' | 'okta' | 'okta-custom' | 'auth0' | 'generic';

/** Every profile, for the CLI and for parametrised tests. */
export const PROFILES: readonly DevIdpProfile[] = [
  'google',
  'okta',
  'okta-custom',
  'auth0',
  'generic',
];

/** The namespaced roles claim the Auth0 profile issues (Auth0 Actions must namespace custom claims). */
export const AUTH0_ROLES_CLAIM = 'https://switchyard.dev/roles';

/** A seeded account. Unset optional claims are left out of the ID token. */
export interface DevIdpUser {
  /** Stable subject; the login form accepts it or the e-mail. */
  sub: string;
  email: string;
  name?: string;
  /** Default true; null: the claim is left out (IdPs that never send it). */
  email_verified?: boolean | null;
  /** Google Workspace hosted domain. */
  hd?: string;
  /** Okta groups claim. */
  groups?: string[];
  /** Auth0 organization id. */
  org_id?: string;
  /** Auth0 roles (issued under {@link AUTH0_ROLES_CLAIM}). */
  roles?: string[];
}

/** Path of the issuer under the server origin: Okta custom authorization servers live under `/oauth2/<id>`, Auth0 ends with a slash. */
export function issuerPathFor(profile: DevIdpProfile): string {
  if (profile === 'okta-custom') return '/oauth2/default';
  if (profile === 'auth0') return '/';
  return '';
}

/** The provider-specific claims a profile puts into ID tokens. */
export function profileClaims(profile: DevIdpProfile, user: DevIdpUser): Record<string, unknown> {
  const base: Record<string, unknown> = { email: user.email, name: user.name ?? user.email };
  if (user.email_verified !== null) base['email_verified'] = user.email_verified ?? true;
  if (profile === 'google' && user.hd !== undefined) base['hd'] = user.hd;
  if ((profile === 'okta' || profile === 'okta-custom') && user.groups)
    base['groups'] = user.groups;
  if (profile === 'auth0') {
    if (user.org_id !== undefined) base['org_id'] = user.org_id;
    if (user.roles) base[AUTH0_ROLES_CLAIM] = user.roles;
  }
  if (profile === 'generic' && user.groups) base['groups'] = user.groups;
  return base;
}

/** Claim names per scope (oidc-provider `claims` option); every provider-specific claim rides on `openid`. */
export const CLAIMS_BY_SCOPE = {
  openid: ['sub', 'hd', 'groups', 'org_id', AUTH0_ROLES_CLAIM],
  email: ['email', 'email_verified'],
  profile: ['name'],
};

/** Default users: one Workspace-like account per profile shape, enough for `npm start` and the tests. */
export const DEFAULT_USERS: readonly DevIdpUser[] = [
  {
    sub: 'alice',
    email: 'alice@example.com',
    name: 'Alice Admin',
    hd: 'example.com',
    groups: ['switchyard-admins', 'everyone'],
    org_id: 'org_example',
    roles: ['admin'],
  },
  {
    sub: 'bob',
    email: 'bob@example.com',
    name: 'Bob Builder',
    hd: 'example.com',
    groups: ['switchyard-editors', 'everyone'],
    org_id: 'org_example',
    roles: ['editor'],
  },
  {
    sub: 'carol',
    email: 'carol@example.com',
    name: 'Carol Viewer',
    hd: 'example.com',
    groups: ['everyone'],
    org_id: 'org_example',
    roles: [],
  },
];
