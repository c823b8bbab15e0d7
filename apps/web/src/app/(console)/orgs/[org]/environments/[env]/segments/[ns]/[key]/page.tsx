import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SegmentPage } from '@/components/segments/segment-page';
import { LoadingRows } from '@/components/states';

export const metadata: Metadata = { title: 'Segment' };

export default async function SegmentRoute({
  params,
}: {
  params: Promise<{ env: string; ns: string; key: string }>;
}) {
  const { env, ns, key } = await params;
  return (
    <Suspense fallback={<LoadingRows rows={3} label="Loading the segment" />}>
      <SegmentPage envKey={env} ns={ns} segmentKey={key} />
    </Suspense>
  );
}
