import type { Metadata } from 'next';
import { HistoryView } from '@/components/history/history-view';

export const metadata: Metadata = { title: 'History' };

export default async function EnvironmentHistoryPage({
  params,
}: {
  params: Promise<{ env: string }>;
}) {
  const { env } = await params;
  return <HistoryView envKey={env} />;
}
