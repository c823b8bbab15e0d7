'use client';
import createClient, { type Middleware } from 'openapi-fetch';
import { toApiError } from './errors';
import type { paths } from './schema';

let csrfToken: string | null = null;

/** Set once from the session the server fetched; sent as X-CSRF-Token on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const csrf: Middleware = {
  onRequest({ request }) {
    if (!SAFE.has(request.method) && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
};

/** The typed browser client: same origin (`/api/*` is proxied to the control plane). */
export const api = createClient<paths>({
  baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin,
});
api.use(csrf);

/** Unwraps an openapi-fetch result: the data, or a thrown {@link ApiError}. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    // Unauthenticated in the browser: the session ended; sign in again and come back here.
    if (response.status === 401 && typeof window !== 'undefined') {
      window.location.assign(
        `/login?error=expired&returnTo=${encodeURIComponent(window.location.pathname + window.location.search)}`,
      );
    }
    throw toApiError(response.status, error);
  }
  return data as T;
}
