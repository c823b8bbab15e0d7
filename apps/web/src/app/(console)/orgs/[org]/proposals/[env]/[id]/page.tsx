import type { Metadata } from 'next';
import { ProposalDetail } from '@/components/proposals/proposals';

export const metadata: Metadata = { title: 'Proposal' };

export default async function ProposalPage({
  params,
}: {
  params: Promise<{ env: string; id: string }>;
}) {
  const { env, id } = await params;
  return <ProposalDetail envKey={env} id={id} />;
}
