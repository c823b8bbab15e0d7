import type { Metadata } from 'next';
import { EnvironmentDetail } from '@/components/environments/environment-detail';

export const metadata: Metadata = { title: 'Environment' };

export default async function EnvironmentPage({ params }: { params: Promise<{ env: string }> }) {
  const { env } = await params;
  return <EnvironmentDetail envKey={env} />;
}
