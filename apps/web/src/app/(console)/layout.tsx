import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { SessionProvider } from '@/components/session';
import { requireSession } from '@/lib/api/server';

export const dynamic = 'force-dynamic';

/** Every console page needs a session the control plane accepts. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const path = (await headers()).get('x-console-path') ?? '/';
  const session = await requireSession(path);
  return (
    <SessionProvider session={{ user: session.user, csrfToken: session.csrfToken }}>
      {children}
    </SessionProvider>
  );
}
