import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import createClient from 'openapi-fetch';
import { config } from '../config';
import type { paths } from './schema';

/** A typed client for server components: forwards the browser's cookies, never caches. */
export async function serverApi() {
  const cookie = (await cookies()).toString();
  return createClient<paths>({
    baseUrl: config().controlPlaneUrl,
    headers: cookie ? { cookie } : {},
    fetch: (request: Request) => fetch(request, { cache: 'no-store' }),
  });
}

/** The signed-in caller, checked for real by the control plane; otherwise off to `/login`. */
export async function requireSession(returnTo: string) {
  const api = await serverApi();
  const { data, response } = await api.GET('/api/v1/session');
  if (response.status === 401 || !data) redirect(`/login?returnTo=${encodeURIComponent(returnTo)}`);
  return data;
}

/**
 * The organisation's environments, read while the page renders on the server so the cards are in
 * the first HTML (no wait for the JavaScript and a second round trip). Undefined when the read
 * fails: the client then loads them and shows the error state itself.
 */
export async function prefetchEnvironments(org: string) {
  const api = await serverApi();
  const { data } = await api.GET('/api/v1/orgs/{org}/environments', {
    params: { path: { org }, query: { limit: 200 } },
  });
  return data;
}
