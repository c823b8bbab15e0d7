import type { DevIdpProfile, DevIdpUser } from './profiles.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The login page: one button per seeded user (no passwords: this provider is for development). */
export function loginPage(
  action: string,
  users: readonly DevIdpUser[],
  profile: DevIdpProfile,
  error?: string,
): string {
  const buttons = users
    .map(
      (u) =>
        `<li><button name="login" value="${escape(u.sub)}">${escape(u.name ?? u.email)} &lt;${escape(u.email)}&gt;</button></li>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Switchyard dev IdP</title></head><body>
<h1>Switchyard development sign-in (${escape(profile)})</h1>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="${escape(action)}"><ul>${buttons}</ul>
<label>Or subject / e-mail <input name="login" autocomplete="off"></label> <button>Sign in</button></form>
<p>Never use this provider in production.</p></body></html>`;
}
