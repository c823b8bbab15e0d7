import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FlagPage } from '@/components/flags/flag-page';
import { LoadingRows } from '@/components/states';

export const metadata: Metadata = { title: 'Flag' };

export default async function FlagRoute({
  params,
}: {
  params: Promise<{ env: string; ns: string; key: string }>;
}) {
  const { env, ns, key } = await params;
  return (
    <Suspense fallback={<LoadingRows rows={4} label="Loading the flag" />}>
      <FlagPage envKey={env} ns={ns} flagKey={key} />
    </Suspense>
  );
}
