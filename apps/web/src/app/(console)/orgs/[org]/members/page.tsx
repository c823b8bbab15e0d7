import type { Metadata } from 'next';
import { MemberList } from '@/components/members/member-list';

export const metadata: Metadata = { title: 'Members' };

export default function MembersPage() {
  return <MemberList />;
}
