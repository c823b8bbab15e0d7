'use client';
import { useQuery } from '@tanstack/react-query';
import type { Flag } from '@switchyard/flags';
import { api, unwrap } from '@/lib/api/client';
import type { operations } from '@/lib/api/schema';
import { flagKeys } from '@/components/flags/flag-api';

/** A scheduled change as the API returns it. */
export type ScheduledChange =
  operations['SchedulesController_get']['responses'][200]['content']['application/json'];

/**
 * Scheduled changes of an environment (of one flag when `flag` is given), under the
 * environment's flag query keys: a commit announced on the environment (the scheduler's too)
 * refetches them. While one is due soon or running, they are also polled.
 */
export function useScheduledChanges(
  org: string,
  env: string,
  filter: { namespace?: string; flag?: string } = {},
) {
  return useQuery({
    queryKey: [...flagKeys.env(org, env), 'scheduled', filter],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/environments/{env}/scheduled-changes', {
          params: { path: { org, env }, query: filter },
        }),
      ),
    refetchInterval: (q) =>
      q.state.data?.items.some(
        (i) =>
          i.status === 'applying' ||
          (i.status === 'pending' && Date.parse(i.runAt) - Date.now() < 10 * 60_000),
      )
        ? 2_000
        : false,
  });
}

/** Schedules the flag as `document` (undefined: its deletion), reviewed against `revision`. */
export function scheduleFlag(
  org: string,
  env: string,
  ns: string,
  key: string,
  document: Flag | undefined,
  o: { revision: string; at: Date; message: string },
) {
  return unwrap(
    api.POST('/api/v1/orgs/{org}/environments/{env}/scheduled-changes', {
      params: { path: { org, env } },
      headers: { 'if-match': `"${o.revision}"` },
      body: {
        kind: 'flag',
        at: o.at.toISOString(),
        namespace: ns,
        flag: key,
        document: (document ?? null) as never,
        message: o.message,
      },
    }),
  );
}

/** Schedules the merge of proposal `id` at its `revision` (it then awaits an approval). */
export function scheduleProposal(org: string, env: string, id: string, revision: string, at: Date) {
  return unwrap(
    api.POST('/api/v1/orgs/{org}/environments/{env}/scheduled-changes', {
      params: { path: { org, env } },
      headers: { 'if-match': `"${revision}"` },
      body: { kind: 'proposal', at: at.toISOString(), proposal: id },
    }),
  );
}

export function cancelScheduledChange(org: string, env: string, id: string) {
  return unwrap(
    api.POST('/api/v1/orgs/{org}/environments/{env}/scheduled-changes/{scheduleId}/cancel', {
      params: { path: { org, env, scheduleId: id } },
    }),
  );
}

/** The browser's time zone (what a date-time input means), e.g. "Europe/Paris". */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `<input type="datetime-local">` value of `d` in the browser's time zone. */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
