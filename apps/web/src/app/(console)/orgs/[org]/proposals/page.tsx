import type { Metadata } from 'next';
import { ProposalList } from '@/components/proposals/proposals';

export const metadata: Metadata = { title: 'Proposals' };

export default function ProposalsPage() {
  return <ProposalList />;
}
