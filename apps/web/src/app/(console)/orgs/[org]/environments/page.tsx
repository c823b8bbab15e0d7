import type { Metadata } from 'next';
import { EnvironmentList } from '@/components/environments/environment-list';
import { PageHeader } from '@/components/states';
import { prefetchEnvironments } from '@/lib/api/server';

export const metadata: Metadata = { title: 'Environments' };

export default async function EnvironmentsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const environments = await prefetchEnvironments(org);
  return (
    <>
      <PageHeader
        title="Environments"
        description="Each environment is a branch of flags with its own URL for SDKs."
      />
      <EnvironmentList initial={environments} />
    </>
  );
}
