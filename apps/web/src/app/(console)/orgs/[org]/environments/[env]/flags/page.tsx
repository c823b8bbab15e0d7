import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FlagList } from '@/components/flags/flag-list';
import { LoadingRows } from '@/components/states';

export const metadata: Metadata = { title: 'Flags' };

export default async function FlagsPage({ params }: { params: Promise<{ env: string }> }) {
  const { env } = await params;
  return (
    <Suspense fallback={<LoadingRows rows={4} label="Loading flags" />}>
      <FlagList envKey={env} />
    </Suspense>
  );
}
