import type { Metadata } from 'next';
import { HookDeliveries } from '@/components/outbound-hooks/hook-deliveries';

export const metadata: Metadata = { title: 'Webhook deliveries' };

export default async function WebhookPage({ params }: { params: Promise<{ hookId: string }> }) {
  const { hookId } = await params;
  return <HookDeliveries hookId={hookId} />;
}
