import type { Metadata } from 'next';
import { TokenList } from '@/components/tokens/token-list';

export const metadata: Metadata = { title: 'Client tokens' };

export default function TokensPage() {
  return <TokenList />;
}
