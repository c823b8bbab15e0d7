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
