'use client';
import { createContext, useContext, type ReactNode } from 'react';
import { setCsrfToken } from '@/lib/api/client';

/** The signed-in user as the server checked it. */
export interface SessionInfo {
  user: { id: string; email: string; name: string | null };
  csrfToken: string | null;
}

const SessionContext = createContext<SessionInfo | null>(null);

export function SessionProvider({
  session,
  children,
}: {
  session: SessionInfo;
  children: ReactNode;
}) {
  // Set during render (not in an effect) so a write issued by the first interaction carries it.
  setCsrfToken(session.csrfToken);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionInfo {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
