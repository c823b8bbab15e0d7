import type { Metadata } from 'next';
import { HookList } from '@/components/outbound-hooks/hook-list';

export const metadata: Metadata = { title: 'Webhooks' };

export default function WebhooksPage() {
  return <HookList />;
}
