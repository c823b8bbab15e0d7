/** What each refused or ended login means for the person in front of the sign-in page. */
export const LOGIN_MESSAGES: Record<string, { title: string; body: string }> = {
  refused: {
    title: 'Sign-in was refused',
    body: 'The identity provider answered, but Switchyard could not accept the sign-in (the response did not pass its checks). Start again from this page; if it keeps failing, tell your administrator the time it happened.',
  },
  'not-member': {
    title: 'You are not a member of this organisation',
    body: 'Your company’s SSO signed you in, but its group mapping gives your account no role in the organisation. Ask an administrator to add you to a mapped group or to invite you.',
  },
  'email-not-allowed': {
    title: 'This account is not allowed here',
    body: 'The SSO connection only accepts accounts of certain e-mail domains (or its Workspace/organisation), and yours is not one of them. Sign in with your work account, or ask an administrator.',
  },
  'email-unverified': {
    title: 'Your e-mail address is not verified',
    body: 'The identity provider did not confirm your e-mail address. Verify it there, then sign in again.',
  },
  'sso-required': {
    title: 'This organisation requires its own SSO',
    body: 'You are signed in, but this organisation only accepts sign-ins through its own SSO connection. Continue with your company’s SSO below.',
  },
  'idp-unavailable': {
    title: 'The identity provider did not answer',
    body: 'Try again in a minute. If it keeps failing, tell your administrator: the SSO connection’s issuer may be down or misconfigured.',
  },
  'idp-denied': {
    title: 'Sign-in was cancelled',
    body: 'The identity provider did not let the sign-in through (you cancelled, or it refused access). Try again, or ask your administrator to give you access to the Switchyard application there.',
  },
  'state-expired': {
    title: 'The sign-in took too long or was already used',
    body: 'Sign-in links work once and for ten minutes, in the browser that started them. Start again from this page.',
  },
  'link-required': {
    title: 'You already have an account with this e-mail',
    body: 'Sign in the way you usually do below; your account page then offers to link this sign-in method, so either works from now on.',
  },
  'identity-taken': {
    title: 'This sign-in belongs to another account',
    body: 'The identity you used is already linked to a different Switchyard account, so it cannot be linked to yours. Sign in with that account instead.',
  },
  'invitation-mismatch': {
    title: 'Your invitation could not be accepted',
    body: 'An invitation exists for this e-mail address, but the identity provider did not confirm the address, so it cannot claim it. Verify your e-mail at the identity provider, or ask the person who invited you to use your company’s SSO.',
  },
  'connection-misconfigured': {
    title: 'This SSO connection needs its owner’s attention',
    body: 'The connection would give you a role above that of the administrator who last saved it. An owner of the organisation must review and save it again.',
  },
  'unknown-connection': {
    title: 'Unknown sign-in link',
    body: 'This link names an SSO connection that does not exist (any more). Ask your administrator for the current link, or sign in with the platform SSO.',
  },
  'connection-disabled': {
    title: 'This sign-in method is turned off',
    body: 'An administrator of the organisation turned this SSO connection off. Ask them to turn it back on, or sign in another way.',
  },
  'sign-in-required': {
    title: 'Sign in first',
    body: 'Linking a sign-in method needs the session that started it. Sign in, then start the link again from your account page.',
  },
  'rate-limited': { title: 'Too many sign-in attempts', body: 'Wait a minute and try again.' },
  'bad-request': { title: 'The sign-in link is malformed', body: 'Start again from this page.' },
  'control-plane-unavailable': {
    title: 'Switchyard is unavailable',
    body: 'The console cannot reach the control plane. Try again shortly.',
  },
  expired: { title: 'Your session has ended', body: 'Sign in again to continue where you were.' },
  'signed-out': { title: 'You are signed out', body: 'Your session was ended on the server.' },
};

const CONNECTION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A connection id from what someone pasted: the id itself, or a console or API sign-in link that names it. */
export function connectionFromInput(input: string): string | null {
  const value = input.trim();
  if (CONNECTION_ID.test(value)) return value;
  if (!URL.canParse(value)) return null;
  const id = new URL(value).searchParams.get('connection');
  return id && CONNECTION_ID.test(id) ? id : null;
}

/** The API path that starts a login through `connection` and lands on `returnTo`. */
export function loginHref(connection: string, returnTo: string): string {
  return `/api/v1/auth/login?${new URLSearchParams({ connection, returnTo }).toString()}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `s` is a connection id (connections are UUIDs; `platform` is not one). */
export function isConnectionId(s: string): boolean {
  return UUID.test(s);
}

/**
 * Links `connection`'s identity to the signed-in account: the IdP round trip carries the session,
 * and the session's CSRF token shows the signed-in user asked for it.
 */
export function linkHref(connection: string, csrf: string, returnTo = '/account'): string {
  return `/api/v1/auth/login?${new URLSearchParams({ connection, link: '1', csrf, returnTo }).toString()}`;
}
const ORG_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** What someone typed into "sign in with your company's SSO". */
export type CompanySsoInput =
  | { kind: 'connection'; connection: string }
  | { kind: 'email'; email: string }
  | { kind: 'org'; org: string };

/**
 * A work e-mail (found through its verified domain), an organisation slug, or a sign-in link /
 * connection id (connection ids are UUIDs, so a slug is never mistaken for one).
 */
export function companySsoInput(input: string): CompanySsoInput | null {
  const value = input.trim();
  if (EMAIL.test(value)) return { kind: 'email', email: value };
  if (UUID.test(value)) return { kind: 'connection', connection: value };
  if (ORG_SLUG.test(value.toLowerCase())) return { kind: 'org', org: value.toLowerCase() };
  const connection = connectionFromInput(value);
  return connection ? { kind: 'connection', connection } : null;
}
