'use client';
import { useQueries, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';

export type PaletteFlag = {
  env: string;
  protected: boolean;
  revision: string;
  namespace: string;
  flag: Record<string, unknown> & { key: string; name?: string; enabled?: boolean };
};
export type PaletteSegment = { env: string; namespace: string; key: string; name?: string };

/**
 * Everything the command palette can reach: environments, and the flags and segments of every
 * namespace of each (loaded only while the palette is open).
 */
export function usePaletteTargets(org: string, enabled: boolean) {
  const envs = useQuery({
    queryKey: ['orgs', org, 'environments'],
    enabled,
    queryFn: () =>
      unwrap(api.GET('/api/v1/orgs/{org}/environments', { params: { path: { org } } })),
  });
  const items = envs.data?.items ?? [];
  const perEnv = useQueries({
    queries: items.map((e) => ({
      queryKey: ['palette', org, e.key],
      enabled,
      staleTime: 10_000,
      queryFn: async () => {
        const nss = await unwrap(
          api.GET('/api/v1/orgs/{org}/environments/{env}/namespaces', {
            params: { path: { org, env: e.key } },
          }),
        );
        const flags: PaletteFlag[] = [];
        const segments: PaletteSegment[] = [];
        for (const ns of nss.namespaces.slice(0, 20)) {
          const [f, s] = await Promise.all([
            unwrap(
              api.GET('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/flags', {
                params: { path: { org, env: e.key, ns: ns.key } },
              }),
            ),
            unwrap(
              api.GET('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/segments', {
                params: { path: { org, env: e.key, ns: ns.key } },
              }),
            ),
          ]);
          for (const flag of f.flags as PaletteFlag['flag'][])
            flags.push({
              env: e.key,
              protected: e.protected,
              revision: f.revision,
              namespace: ns.key,
              flag,
            });
          for (const seg of s.segments as { key: string; name?: string }[])
            segments.push({ env: e.key, namespace: ns.key, key: seg.key, name: seg.name });
        }
        return { flags, segments };
      },
    })),
  });
  return {
    environments: items,
    flags: perEnv.flatMap((q) => q.data?.flags ?? []),
    segments: perEnv.flatMap((q) => q.data?.segments ?? []),
  };
}
