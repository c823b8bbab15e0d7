'use client';
import { useQuery } from '@tanstack/react-query';
import { ServerIcon } from 'lucide-react';
import { useOrg } from './org-context';
import { ErrorState, LoadingRows } from './states';
import { Badge } from './ui/badge';
import { Card, CardContent, CardDescription, CardHeader } from './ui/card';
import { api, unwrap } from '@/lib/api/client';
import type { operations } from '@/lib/api/schema';
import { relativeTime } from '@/lib/utils';

type Instance =
  operations['InstanceController_get']['responses'][200]['content']['application/json'];

const VARIANT: Record<Instance['status'], 'success' | 'warning' | 'destructive' | 'secondary'> = {
  ready: 'success',
  degraded: 'warning',
  failed: 'destructive',
  pending: 'secondary',
  provisioning: 'secondary',
  deleting: 'secondary',
  // Idle, stopped on purpose; the next request to an environment URL wakes it.
  sleeping: 'secondary',
};

/** The organisation's instance status, polled: it changes without anyone acting in the console. */
export function useInstance(org: string) {
  return useQuery({
    queryKey: ['orgs', org, 'instance'],
    queryFn: () => unwrap(api.GET('/api/v1/orgs/{org}/instance', { params: { path: { org } } })),
    refetchInterval: (q) =>
      q.state.data?.status === 'ready' && !q.state.data.stale ? 15_000 : 5_000,
  });
}

function Time({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {relativeTime(iso)}
    </time>
  );
}

/** Status, last report, restarts; operator details for admins. */
export function InstanceStatusCard() {
  const org = useOrg();
  const inst = useInstance(org.slug);
  return (
    <Card data-testid="instance-status">
      <CardHeader className="flex-row items-start justify-between gap-2">
        <div className="flex flex-col gap-1">
          <h2 className="flex items-center gap-2 font-semibold">
            <ServerIcon className="size-4" aria-hidden="true" /> Instance
          </h2>
          <CardDescription>
            The process that serves this organisation’s environments.
          </CardDescription>
        </div>
        {inst.data && (
          <Badge
            variant={inst.data.stale ? 'warning' : VARIANT[inst.data.status]}
            data-instance-status={inst.data.status}
          >
            {inst.data.status}
            {inst.data.stale ? ' · no recent report' : ''}
          </Badge>
        )}
      </CardHeader>
      <CardContent>
        {inst.isPending ? (
          <LoadingRows rows={1} label="Loading instance status" />
        ) : inst.isError ? (
          <ErrorState error={inst.error} retry={() => void inst.refetch()} />
        ) : (
          <div className="flex flex-col gap-3 text-sm">
            <p>{inst.data.summary}</p>
            <dl className="grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1.5">
              <dt className="text-muted-foreground">Last report</dt>
              <dd>{inst.data.reportedAt ? <Time iso={inst.data.reportedAt} /> : 'none yet'}</dd>
              <dt className="text-muted-foreground">Environments</dt>
              <dd>
                {inst.data.environments.serving} of {inst.data.environments.total} serving
                {inst.data.environments.failing > 0 && (
                  <span className="text-destructive">
                    {' '}
                    · {inst.data.environments.failing} failing to sync
                  </span>
                )}
              </dd>
              {inst.data.startedAt && (
                <>
                  <dt className="text-muted-foreground">Running since</dt>
                  <dd>
                    <Time iso={inst.data.startedAt} />
                  </dd>
                </>
              )}
              {inst.data.restarts !== null && (
                <>
                  <dt className="text-muted-foreground">Restarts</dt>
                  <dd data-testid="instance-restarts">{inst.data.restarts}</dd>
                </>
              )}
            </dl>
            {inst.data.admin?.lastError && (
              <div className="rounded-lg border border-destructive/40 p-3">
                <p className="text-xs font-medium text-muted-foreground">
                  Last error (admins only)
                </p>
                <p className="break-words font-mono text-xs">{inst.data.admin.lastError}</p>
              </div>
            )}
          </div>
        )}
      </CardContent>
    </Card>
  );
}
