import type { Metadata } from 'next';
import { EnvironmentList } from '@/components/environments/environment-list';
import { PageHeader } from '@/components/states';

export const metadata: Metadata = { title: 'Environments' };

export default function EnvironmentsPage() {
  return (
    <>
      <PageHeader
        title="Environments"
        description="Each environment is a branch of flags with its own URL for SDKs."
      />
      <EnvironmentList />
    </>
  );
}
