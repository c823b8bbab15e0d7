import type { Metadata } from 'next';
import { HistoryIndex } from '@/components/history/history-index';

export const metadata: Metadata = { title: 'History' };

export default function HistoryIndexPage() {
  return <HistoryIndex />;
}
