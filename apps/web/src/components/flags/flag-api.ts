'use client';
import { useQuery } from '@tanstack/react-query';
import type { Flag, Segment } from '@switchyard/flags';
import { api, unwrap } from '@/lib/api/client';

/** Filters of the flag list, as kept in the page's URL. */
export interface FlagFilters {
  q?: string | undefined;
  type?: 'VARIANT_FLAG_TYPE' | 'BOOLEAN_FLAG_TYPE' | undefined;
  enabled?: 'true' | 'false' | undefined;
  metadata?: string | undefined;
}

/** Query keys of one environment's flag data (invalidated together after a commit). */
export const flagKeys = {
  env: (org: string, env: string) => ['orgs', org, 'environments', env, 'flags'] as const,
};

export function useNamespaces(org: string, env: string) {
  return useQuery({
    queryKey: [...flagKeys.env(org, env), 'namespaces'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/environments/{env}/namespaces', {
          params: { path: { org, env } },
        }),
      ),
  });
}

export function useFlags(org: string, env: string, ns: string, filters: FlagFilters) {
  return useQuery({
    queryKey: [...flagKeys.env(org, env), 'list', ns, filters],
    queryFn: async () => {
      const r = await unwrap(
        api.GET('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/flags', {
          params: { path: { org, env, ns }, query: filters },
        }),
      );
      return { revision: r.revision, flags: r.flags as unknown as Flag[] };
    },
  });
}

/** One flag and the revision it was read at; `flag` is undefined when it does not exist. */
export async function fetchFlag(org: string, env: string, ns: string, key: string) {
  const res = await api.GET('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/flags/{flag}', {
    params: { path: { org, env, ns, flag: key } },
  });
  if (res.response.status === 404) {
    // A flag not created yet: the revision to create it on comes from the namespace list.
    const list = await unwrap(
      api.GET('/api/v1/orgs/{org}/environments/{env}/namespaces', {
        params: { path: { org, env } },
      }),
    );
    return { revision: list.revision, flag: undefined };
  }
  const r = await unwrap(Promise.resolve(res));
  return { revision: r.revision, flag: r.flag as unknown as Flag };
}

export function useSegments(org: string, env: string, ns: string) {
  return useQuery({
    queryKey: [...flagKeys.env(org, env), 'segments', ns],
    queryFn: async () => {
      const r = await unwrap(
        api.GET('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/segments', {
          params: { path: { org, env, ns } },
        }),
      );
      return { revision: r.revision, segments: r.segments as unknown as Segment[] };
    },
  });
}

/** Where a write lands: the environment's branch, or an open proposal's. */
export interface WriteOptions {
  revision: string;
  message: string;
  proposal?: string | undefined;
}

function writeParams(o: WriteOptions) {
  return {
    query: { message: o.message, ...(o.proposal ? { proposal: o.proposal } : {}) },
    header: { 'if-match': `"${o.revision}"` },
  };
}

export function putFlag(org: string, env: string, ns: string, flag: Flag, o: WriteOptions) {
  const { query, header } = writeParams(o);
  return unwrap(
    api.PUT('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/flags/{flag}', {
      params: { path: { org, env, ns, flag: flag.key }, query },
      headers: header,
      body: flag as never,
    }),
  );
}

export function deleteFlag(org: string, env: string, ns: string, key: string, o: WriteOptions) {
  const { query, header } = writeParams(o);
  return unwrap(
    api.DELETE('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/flags/{flag}', {
      params: { path: { org, env, ns, flag: key }, query },
      headers: header,
    }),
  );
}

export function putSegment(org: string, env: string, ns: string, s: Segment, o: WriteOptions) {
  const { query, header } = writeParams(o);
  return unwrap(
    api.PUT('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/segments/{segment}', {
      params: { path: { org, env, ns, segment: s.key }, query },
      headers: header,
      body: s as never,
    }),
  );
}

export function deleteSegment(org: string, env: string, ns: string, key: string, o: WriteOptions) {
  const { query, header } = writeParams(o);
  return unwrap(
    api.DELETE('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/segments/{segment}', {
      params: { path: { org, env, ns, segment: key }, query },
      headers: header,
    }),
  );
}

/** Opens a proposal (protected environments take changes only through one). */
export function openProposal(org: string, env: string, title: string) {
  return unwrap(
    api.POST('/api/v1/orgs/{org}/environments/{env}/proposals', {
      params: { path: { org, env } },
      body: { title },
    }),
  );
}
