import type { Metadata } from 'next';
import { OrgOverview } from '@/components/org-overview';
import { prefetchEnvironments } from '@/lib/api/server';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return <OrgOverview environments={await prefetchEnvironments(org)} />;
}
