import type { Metadata } from 'next';
import { StaleFlags } from '@/components/insights/stale-flags';

export const metadata: Metadata = { title: 'Stale flags' };

export default async function StaleFlagsPage({ params }: { params: Promise<{ env: string }> }) {
  const { env } = await params;
  return <StaleFlags envKey={env} />;
}
