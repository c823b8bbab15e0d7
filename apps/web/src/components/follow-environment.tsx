'use client';
import { useOrg } from '@/components/org-context';
import { useLiveRefresh, type LiveRefreshOptions } from '@/lib/live-refresh';

/**
 * Follows one environment's commits for a page that shows several (a hook cannot run in a loop):
 * renders nothing, refreshes and announces like {@link useLiveRefresh}.
 */
export function FollowEnvironment({ env, ...options }: { env: string } & LiveRefreshOptions) {
  const org = useOrg();
  useLiveRefresh(org.slug, env, options);
  return null;
}
