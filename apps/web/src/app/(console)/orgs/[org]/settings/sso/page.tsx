import type { Metadata } from 'next';
import { DomainList } from '@/components/sso/domain-list';
import { SsoList } from '@/components/sso/sso-list';

export const metadata: Metadata = { title: 'Single sign-on' };

export default function SsoPage() {
  return (
    <>
      <SsoList />
      <DomainList />
    </>
  );
}
