'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { BoxesIcon, GitBranchIcon, LockIcon } from 'lucide-react';
import { CopyField } from '@/components/copy-button';
import { can, useOrg } from '@/components/org-context';
import { EmptyState, ErrorState, LoadingRows } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { api, unwrap } from '@/lib/api/client';
import { NEEDS } from '@/lib/permissions';
import { CreateEnvironmentDialog } from './create-environment-dialog';
import { EnvironmentStatusBlock, statusPollInterval } from './environment-status';

/** What `GET /orgs/{org}/environments` answers. */
export type EnvironmentPage = Awaited<ReturnType<typeof fetchEnvironments>>;

function fetchEnvironments(org: string) {
  return unwrap(
    api.GET('/api/v1/orgs/{org}/environments', {
      params: { path: { org }, query: { limit: 200 } },
    }),
  );
}

/**
 * The organisation's environments; `poll` keeps their sync status fresh (pages that show it);
 * `initial` is what the server read while rendering the page (refetched in the background).
 */
export function useEnvironments(
  org: string,
  { poll = false, initial }: { poll?: boolean; initial?: EnvironmentPage } = {},
) {
  return useQuery({
    queryKey: ['orgs', org, 'environments'],
    initialData: initial,
    queryFn: () => fetchEnvironments(org),
    refetchInterval: (q) =>
      poll ? statusPollInterval(q.state.data?.items.map((e) => e.status)) : false,
  });
}

/** Environments as cards with their REST URL and sync status; admins get the create button. */
export function EnvironmentList({ initial }: { initial?: EnvironmentPage }) {
  const org = useOrg();
  const envs = useEnvironments(org.slug, { poll: true, initial });
  const canWrite = can(org.role, NEEDS.environmentsWrite);
  if (envs.isPending) return <LoadingRows rows={2} label="Loading environments" />;
  if (envs.isError) return <ErrorState error={envs.error} retry={() => void envs.refetch()} />;
  if (envs.data.items.length === 0) {
    return (
      <EmptyState
        icon={BoxesIcon}
        title="No environments yet"
        action={canWrite ? <CreateEnvironmentDialog /> : undefined}
      >
        An environment is a branch of flags (hosted here, or in your own git repository) with its
        own URL for SDKs.{' '}
        {canWrite
          ? 'Create one to get its URL and a token.'
          : 'Ask an admin of this organisation to create one.'}
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-4">
      {canWrite && (
        <div className="flex justify-end">
          <CreateEnvironmentDialog />
        </div>
      )}
      <ul className="grid gap-4 lg:grid-cols-2" aria-label="Environments">
        {envs.data.items.map((env) => (
          <li key={env.id}>
            <Card className="h-full" data-environment={env.key}>
              <CardHeader className="flex-row items-start justify-between gap-2">
                <div className="flex flex-col gap-1">
                  <h2 className="font-semibold">
                    <Link
                      href={`/orgs/${org.slug}/environments/${env.key}`}
                      className="hover:underline focus-visible:underline focus-visible:outline-none"
                    >
                      {env.name}
                    </Link>
                  </h2>
                  <p className="flex items-center gap-1 text-xs text-muted-foreground">
                    <GitBranchIcon className="size-3" aria-hidden="true" />
                    {env.repositoryId ? 'external repository' : 'hosted'} · {env.branch}
                    {env.directory ? ` · ${env.directory}/` : ''}
                  </p>
                </div>
                <div className="flex gap-1">
                  <Badge variant="outline">{env.key}</Badge>
                  {env.protected && (
                    <Badge variant="warning">
                      <LockIcon className="size-3" aria-hidden="true" /> protected
                    </Badge>
                  )}
                </div>
              </CardHeader>
              <CardContent className="flex flex-col gap-4">
                <CopyField value={env.urls.rest} label={`${env.key} REST URL`} />
                <EnvironmentStatusBlock status={env.status} directory={env.directory} compact />
              </CardContent>
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}
