import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuditLog } from '@/components/audit/audit-log';
import { LoadingRows } from '@/components/states';

export const metadata: Metadata = { title: 'Audit log' };

export default function AuditPage() {
  return (
    <Suspense fallback={<LoadingRows rows={5} label="Loading audit events" />}>
      <AuditLog />
    </Suspense>
  );
}
