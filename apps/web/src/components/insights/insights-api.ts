'use client';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';

/** The time ranges the flag chart offers, each read at the granularity that fits it. */
export const RANGES = {
  '1h': { ms: 3_600_000, granularity: 'minute' },
  '24h': { ms: 86_400_000, granularity: 'hour' },
  '30d': { ms: 30 * 86_400_000, granularity: 'day' },
} as const;
export type RangeKey = keyof typeof RANGES;

/** Query keys of insights (refreshed every 30 s: counts arrive every few seconds). */
export const insightKeys = {
  org: (org: string) => ['orgs', org, 'insights'] as const,
};

export function useFlagUsage(org: string, env: string, ns: string, flag: string, range: RangeKey) {
  return useQuery({
    queryKey: [...insightKeys.org(org), 'usage', env, ns, flag, range],
    refetchInterval: 30_000,
    queryFn: () => {
      const to = Date.now();
      const r = RANGES[range];
      return unwrap(
        api.GET('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/flags/{flag}/usage', {
          params: {
            path: { org, env, ns, flag },
            query: {
              from: new Date(to - r.ms).toISOString(),
              to: new Date(to).toISOString(),
              granularity: r.granularity,
            },
          },
        }),
      );
    },
  });
}

export function useUsageSummary(org: string, env: string) {
  return useQuery({
    queryKey: [...insightKeys.org(org), 'summary', env],
    refetchInterval: 60_000,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/environments/{env}/usage-summary', {
          params: { path: { org, env }, query: { hours: 24 } },
        }),
      ),
  });
}

export function useStaleFlags(org: string, env: string, days: number) {
  return useQuery({
    queryKey: [...insightKeys.org(org), 'stale', env, days],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/environments/{env}/stale-flags', {
          params: { path: { org, env }, query: { days } },
        }),
      ),
  });
}

/** Archives `flags` in one commit on top of `ifMatch` (or on `proposal`). */
export function archiveFlags(
  org: string,
  env: string,
  ifMatch: string,
  flags: Array<{ namespace: string; flag: string }>,
  proposal?: string,
) {
  return unwrap(
    api.POST('/api/v1/orgs/{org}/environments/{env}/stale-flags/archive', {
      params: { path: { org, env }, query: proposal ? { proposal } : {} },
      headers: { 'if-match': ifMatch },
      body: { flags },
    }),
  );
}

/** "3 minutes ago"-style text of an ISO time (null: never). */
export function ago(iso: string | null, now = Date.now()): string {
  if (iso === null) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} days ago`;
}
