/** What each refused or ended login means for the person in front of the sign-in page. */
export const LOGIN_MESSAGES: Record<string, { title: string; body: string }> = {
  refused: {
    title: 'Sign-in was refused',
    body: 'The identity provider signed you in, but Switchyard did not accept it: your account may not be a member of the organisation, your e-mail domain may not be allowed, or your organisation requires signing in through its own SSO. Ask an administrator, or use your company’s sign-in link below.',
  },
  'idp-unavailable': {
    title: 'The identity provider did not answer',
    body: 'Try again in a minute. If it keeps failing, tell your administrator: the SSO connection’s issuer may be down or misconfigured.',
  },
  'unknown-connection': {
    title: 'Unknown sign-in link',
    body: 'This link names an SSO connection that does not exist (any more). Ask your administrator for the current link, or sign in with the platform SSO.',
  },
  'rate-limited': { title: 'Too many sign-in attempts', body: 'Wait a minute and try again.' },
  'bad-request': { title: 'The sign-in link is malformed', body: 'Start again from this page.' },
  'control-plane-unavailable': {
    title: 'Switchyard is unavailable',
    body: 'The console cannot reach the control plane. Try again shortly.',
  },
  expired: { title: 'Your session has ended', body: 'Sign in again to continue where you were.' },
  'signed-out': { title: 'You are signed out', body: 'Your session was ended on the server.' },
  'sso-required': {
    title: 'This organisation requires its own SSO',
    body: 'Sign in through your company’s sign-in link (your administrator can share it from Settings → Single sign-on).',
  },
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
