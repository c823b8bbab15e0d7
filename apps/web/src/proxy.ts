import { NextResponse, type NextRequest } from 'next/server';

/** The control plane's session cookie (set through the same-origin `/api` proxy). */
export const SESSION_COOKIE = '__Host-switchyard_session';

/**
 * Not an auth layer: without a session cookie, pages redirect to sign-in at once (no flash of an
 * empty console). Server components ask the control plane whether the session is really valid.
 * It also passes the requested path on, so a server-side redirect can come back to it.
 */
export function proxy(req: NextRequest) {
  const path = `${req.nextUrl.pathname}${req.nextUrl.search}`;
  if (!req.cookies.has(SESSION_COOKIE)) {
    const login = new URL('/login', req.url);
    if (path !== '/') login.searchParams.set('returnTo', path);
    return NextResponse.redirect(login);
  }
  const headers = new Headers(req.headers);
  headers.set('x-console-path', path);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Everything except the API and git proxies, sign-in, Next's assets and static files.
  matcher: ['/((?!api/|git/|login|_next/|favicon|robots\\.txt|.*\\.(?:png|svg|ico|txt)$).*)'],
};
