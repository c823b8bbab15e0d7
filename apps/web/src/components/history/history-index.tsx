'use client';
import Link from 'next/link';
import { useEnvironments } from '@/components/environments/environment-list';
import { useOrg } from '@/components/org-context';
import { ErrorState, LoadingRows, PageHeader } from '@/components/states';

/** Which environment's history to open. */
export function HistoryIndex() {
  const org = useOrg();
  const envs = useEnvironments(org.slug);
  return (
    <div>
      <PageHeader
        title="History"
        description="Every environment is a git branch: pick one to see its commits, diffs and restores."
      />
      {envs.isPending ? (
        <LoadingRows rows={3} label="Loading environments" />
      ) : envs.isError ? (
        <ErrorState error={envs.error} />
      ) : (
        <ul className="flex flex-col gap-2" aria-label="Environments">
          {envs.data.items.map((e) => (
            <li key={e.key}>
              <Link className="underline" href={`/orgs/${org.slug}/environments/${e.key}/history`}>
                {e.name} ({e.key})
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
