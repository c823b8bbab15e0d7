'use client';
import { ScheduledChanges } from '@/components/schedules/scheduled-changes';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ChevronLeftIcon, LockIcon } from 'lucide-react';
import { useState } from 'react';
import { CopyButton, CopyField } from '@/components/copy-button';
import { useOrg } from '@/components/org-context';
import { ErrorState, LoadingRows, PageHeader } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import { api, unwrap } from '@/lib/api/client';
import { snippets } from '@/lib/snippets';
import { InstanceStatusCard } from '@/components/instance-status';
import { EnvironmentStatusBlock, statusPollInterval } from './environment-status';
import { cn } from '@/lib/utils';

function Snippets({
  envKey,
  urls,
}: {
  envKey: string;
  urls: { rest: string; grpc: string | null; ofrep: string };
}) {
  const list = snippets({ envKey, urls });
  const [active, setActive] = useState(list[0]!.id);
  const current = list.find((s) => s.id === active) ?? list[0]!;
  return (
    <Card>
      <CardHeader>
        <h2 className="font-semibold">Use it from your code</h2>
        <CardDescription>
          Set SWITCHYARD_TOKEN to a client token for this environment (Client tokens page), for
          example <code>export SWITCHYARD_TOKEN=sy_live_…</code>, then paste.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <div role="tablist" aria-label="SDK" className="flex flex-wrap gap-1">
          {list.map((s) => (
            <button
              key={s.id}
              role="tab"
              id={`tab-${s.id}`}
              aria-selected={s.id === current.id}
              aria-controls="snippet-panel"
              onClick={() => setActive(s.id)}
              className={cn(
                'rounded-md px-3 py-1.5 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
                s.id === current.id
                  ? 'bg-secondary font-medium'
                  : 'text-muted-foreground hover:bg-accent',
              )}
            >
              {s.label}
            </button>
          ))}
        </div>
        <div
          id="snippet-panel"
          role="tabpanel"
          aria-labelledby={`tab-${current.id}`}
          className="relative"
        >
          {/* Long lines (URLs, tokens) wrap inside the box rather than run under the copy button. */}
          <pre
            className="whitespace-pre-wrap wrap-anywhere rounded-lg border bg-muted p-4 pr-14 font-mono text-xs leading-relaxed"
            data-snippet={current.id}
          >
            <code>{current.code}</code>
          </pre>
          <div className="absolute right-2 top-2">
            <CopyButton value={current.code} label={`Copy the ${current.label} snippet`} />
          </div>
        </div>
      </CardContent>
    </Card>
  );
}

/**
 * `/orgs/{org}/environments/{env}`: what it serves (sync status, revision, last error) and the
 * instance's status, source, protection, URLs with copy buttons, SDK snippets.
 */
export function EnvironmentDetail({ envKey }: { envKey: string }) {
  const org = useOrg();
  const env = useQuery({
    queryKey: ['orgs', org.slug, 'environments', envKey],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/environments/{env}', {
          params: { path: { org: org.slug, env: envKey } },
        }),
      ),
    refetchInterval: (q) => statusPollInterval(q.state.data ? [q.state.data.status] : undefined),
  });
  const back = (
    <Link
      href={`/orgs/${org.slug}/environments`}
      className="mb-4 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
    >
      <ChevronLeftIcon className="size-4" aria-hidden="true" /> Environments
    </Link>
  );
  if (env.isPending)
    return (
      <>
        {back}
        <LoadingRows rows={4} label="Loading environment" />
      </>
    );
  if (env.isError)
    return (
      <>
        {back}
        <ErrorState error={env.error} retry={() => void env.refetch()} />
      </>
    );
  const e = env.data;
  return (
    <>
      {back}
      <PageHeader
        title={e.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge variant="outline">{e.key}</Badge>
            {e.protected ? (
              <Badge variant="warning">
                <LockIcon className="size-3" aria-hidden="true" /> protected: changes need an
                approved proposal
              </Badge>
            ) : (
              <Badge variant="secondary">not protected</Badge>
            )}
          </span>
        }
      />
      <div className="mb-6 grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <h2 className="font-semibold">Status</h2>
            <CardDescription>
              What the organisation’s instance serves for this environment.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <EnvironmentStatusBlock status={e.status} directory={e.directory} />
          </CardContent>
        </Card>
        <InstanceStatusCard />
      </div>
      <Card className="mb-6">
        <CardContent className="pt-6">
          <ScheduledChanges envKey={e.key} />
        </CardContent>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <h2 className="font-semibold">Source</h2>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
              <dt className="text-muted-foreground">Repository</dt>
              <dd>
                {e.repositoryId ? (
                  <Link
                    className="underline underline-offset-4"
                    href={`/orgs/${org.slug}/repositories`}
                  >
                    external repository
                  </Link>
                ) : (
                  'hosted by Switchyard'
                )}
              </dd>
              <dt className="text-muted-foreground">Branch</dt>
              <dd className="font-mono">{e.branch}</dd>
              <dt className="text-muted-foreground">Directory</dt>
              <dd className="font-mono">{e.directory || '/'}</dd>
              <dt className="text-muted-foreground">Created</dt>
              <dd>{new Date(e.createdAt).toLocaleString()}</dd>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <h2 className="font-semibold">URLs</h2>
            <CardDescription>Where SDKs evaluate this environment.</CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-3">
            <div className="flex flex-col gap-1">
              <span className="text-xs font-medium text-muted-foreground">REST (Flipt SDKs)</span>
              <CopyField value={e.urls.rest} label="REST URL" />
            </div>
            <div className="flex flex-col gap-1">
              <span className="text-xs font-medium text-muted-foreground">OFREP (OpenFeature)</span>
              <CopyField value={e.urls.ofrep} label="OFREP URL" />
            </div>
            <div className="flex flex-col gap-1">
              <span className="text-xs font-medium text-muted-foreground">
                gRPC (metadata x-flipt-environment: {e.key})
              </span>
              {e.urls.grpc ? (
                <CopyField value={e.urls.grpc} label="gRPC address" />
              ) : (
                <p className="text-sm text-muted-foreground">
                  Shown once the organisation’s instance is running and has reported its address.
                </p>
              )}
            </div>
          </CardContent>
        </Card>
      </div>
      <div className="mt-6">
        <Snippets envKey={e.key} urls={e.urls} />
      </div>
    </>
  );
}
