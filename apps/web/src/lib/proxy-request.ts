import { config } from './config';

// Hop-by-hop headers (RFC 9110 §7.6.1) and those fetch recomputes.
const DROP_REQUEST = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
  'content-length',
  'accept-encoding',
]);
const DROP_RESPONSE = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'content-length',
]);
const LOGIN_PATHS = /^\/api\/v1\/auth\/(login|callback\/[^/]+)$/;

/** Login errors become a redirect to `/login?error=…`: the browser is navigating, never show it JSON. */
function loginErrorCode(status: number): string {
  if (status === 404) return 'unknown-connection';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'idp-unavailable';
  if (status === 400) return 'bad-request';
  if (status === 409) return 'link-required';
  if (status === 412) return 'connection-disabled';
  return 'refused';
}

/**
 * 303 to the sign-in page with `code`. The Location is relative: behind `next start` the request
 * URL's host can be `localhost` while the browser is on `127.0.0.1` (or a public name), and an
 * absolute redirect would move it to another origin, without its cookies.
 */
function toLogin(code: string): Response {
  return new Response(null, {
    status: 303,
    headers: { location: `/login?error=${encodeURIComponent(code)}`, 'cache-control': 'no-store' },
  });
}

/**
 * Forwards a request under `/api/*` to the control plane, unchanged except for hop-by-hop headers,
 * so the session cookie stays first-party on the console's origin. Redirects are passed through
 * (the login flow is a chain of them). Response bodies are streamed, never buffered: an
 * environment's event stream reaches the browser frame by frame (its `no-transform` cache header
 * keeps the server's compression from holding frames back).
 */
export async function proxyToControlPlane(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const target = `${config().controlPlaneUrl}${url.pathname}${url.search}`;
  const headers = new Headers();
  req.headers.forEach((value, key) => {
    if (!DROP_REQUEST.has(key)) headers.set(key, value);
  });
  headers.set('x-forwarded-host', url.host);
  headers.set('x-forwarded-proto', url.protocol.replace(':', ''));
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: req.method,
      headers,
      body: hasBody ? await req.arrayBuffer() : undefined,
      redirect: 'manual',
      cache: 'no-store',
      // A browser that leaves ends the upstream request too (an event stream would stay open).
      signal: req.signal,
    });
  } catch {
    if (LOGIN_PATHS.test(url.pathname)) return toLogin('control-plane-unavailable');
    return Response.json(
      { code: 'Unavailable', message: 'the control plane is unreachable', details: [] },
      { status: 503 },
    );
  }
  if (LOGIN_PATHS.test(url.pathname) && upstream.status >= 400) {
    // A failed callback still clears the one-time login cookie.
    const out = toLogin(loginErrorCode(upstream.status));
    for (const c of upstream.headers.getSetCookie()) out.headers.append('set-cookie', c);
    return out;
  }
  const out = new Headers();
  upstream.headers.forEach((value, key) => {
    if (!DROP_RESPONSE.has(key) && key !== 'set-cookie') out.set(key, value);
  });
  for (const c of upstream.headers.getSetCookie()) out.append('set-cookie', c);
  return new Response(req.method === 'HEAD' ? null : upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: out,
  });
}
