'use client';
import { useRouter } from 'next/navigation';
import { FlagIcon } from 'lucide-react';
import { useEffect } from 'react';
import { useEnvironments } from '@/components/environments/environment-list';
import { useOrg } from '@/components/org-context';
import { EmptyState, ErrorState, LoadingRows } from '@/components/states';

/** `/orgs/{org}/flags` (the sidebar's Flags): opens the first environment's flags. */
export function FlagsHome() {
  const org = useOrg();
  const router = useRouter();
  const envs = useEnvironments(org.slug);
  const first = envs.data?.items[0]?.key;
  useEffect(() => {
    if (first) router.replace(`/orgs/${org.slug}/environments/${first}/flags`);
  }, [first, org.slug, router]);
  if (envs.isError) return <ErrorState error={envs.error} retry={() => void envs.refetch()} />;
  if (envs.data && !first)
    return (
      <EmptyState icon={FlagIcon} title="No environments yet">
        Flags live in an environment; create one on the Environments page first.
      </EmptyState>
    );
  return <LoadingRows rows={3} label="Opening flags" />;
}
