import type { Metadata } from 'next';
import { HistoryView } from '@/components/history/history-view';

export const metadata: Metadata = { title: 'Flag history' };

export default async function FlagHistoryPage({
  params,
}: {
  params: Promise<{ env: string; ns: string; key: string }>;
}) {
  const { env, ns, key } = await params;
  return <HistoryView envKey={env} ns={ns} flag={key} />;
}
