import type { Metadata } from 'next';
import { Promotion } from '@/components/promotion/promotion';

export const metadata: Metadata = { title: 'Promotion' };

export default function PromotionPage() {
  return <Promotion />;
}
