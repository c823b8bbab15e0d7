import type { Metadata } from 'next';
import { OrgOverview } from '@/components/org-overview';

export const metadata: Metadata = { title: 'Overview' };

export default function OverviewPage() {
  return <OrgOverview />;
}
