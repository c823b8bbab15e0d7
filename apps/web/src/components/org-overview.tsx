'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { EnvironmentList, type EnvironmentPage } from './environments/environment-list';
import { InstanceStatusCard } from './instance-status';
import { can, useOrg } from './org-context';
import { ErrorState, LoadingRows, PageHeader } from './states';
import { Card, CardContent, CardHeader } from './ui/card';
import { api, unwrap } from '@/lib/api/client';
import { NEEDS } from '@/lib/permissions';
import { relativeTime } from '@/lib/utils';

function RecentActivity() {
  const org = useOrg();
  const events = useQuery({
    queryKey: ['orgs', org.slug, 'audit', 'recent'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/audit-events', {
          params: { path: { org: org.slug }, query: { limit: 8 } },
        }),
      ),
  });
  return (
    <Card>
      <CardHeader className="flex-row items-center justify-between">
        <h2 className="font-semibold">Recent activity</h2>
        <Link
          href={`/orgs/${org.slug}/audit`}
          className="text-sm underline underline-offset-4 hover:no-underline"
        >
          Audit log
        </Link>
      </CardHeader>
      <CardContent>
        {events.isPending ? (
          <LoadingRows rows={3} label="Loading activity" />
        ) : events.isError ? (
          <ErrorState error={events.error} retry={() => void events.refetch()} />
        ) : events.data.items.length === 0 ? (
          <p className="text-sm text-muted-foreground">Nothing yet.</p>
        ) : (
          <ul className="flex flex-col gap-2 text-sm">
            {events.data.items.map((e) => (
              <li key={e.id} className="flex justify-between gap-4">
                <span>
                  <span className="font-medium">{e.actor.label ?? e.actor.type}</span>{' '}
                  <code className="font-mono text-xs">{e.action}</code>
                </span>
                <time
                  dateTime={e.time}
                  title={new Date(e.time).toLocaleString()}
                  className="shrink-0 text-muted-foreground"
                >
                  {relativeTime(e.time)}
                </time>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

/**
 * `/orgs/{org}`: environments as cards (URL, revision served, sync status, last sync error), the
 * instance's status and, for admins, what happened recently. Each loads on its own: the
 * environments never wait for the instance status or the audit log.
 */
export function OrgOverview({ environments }: { environments?: EnvironmentPage }) {
  const org = useOrg();
  return (
    <>
      <PageHeader
        title={org.name}
        description="Environments, what they serve and their URLs. Open one for SDK snippets."
      />
      <div className="flex flex-col gap-8">
        <EnvironmentList initial={environments} />
        <div className="grid gap-6 lg:grid-cols-2">
          <InstanceStatusCard />
          {can(org.role, NEEDS.auditRead) && <RecentActivity />}
        </div>
      </div>
    </>
  );
}
