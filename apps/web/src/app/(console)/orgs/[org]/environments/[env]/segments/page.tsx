import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SegmentList } from '@/components/segments/segment-list';
import { LoadingRows } from '@/components/states';

export const metadata: Metadata = { title: 'Segments' };

export default async function SegmentsPage({ params }: { params: Promise<{ env: string }> }) {
  const { env } = await params;
  return (
    <Suspense fallback={<LoadingRows rows={3} label="Loading segments" />}>
      <SegmentList envKey={env} />
    </Suspense>
  );
}
