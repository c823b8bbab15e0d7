import type { Metadata } from 'next';
import { FlagsHome } from '@/components/flags/flags-home';

export const metadata: Metadata = { title: 'Flags' };

export default function FlagsHomePage() {
  return <FlagsHome />;
}
