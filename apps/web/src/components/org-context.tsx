'use client';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { LAST_ORG_COOKIE } from '@/lib/last-org';

export type Role = 'OWNER' | 'ADMIN' | 'EDITOR' | 'VIEWER';
const RANK: Record<Role, number> = { VIEWER: 0, EDITOR: 1, ADMIN: 2, OWNER: 3 };

/** The organisation of the current page and the caller's role in it. */
export interface OrgInfo {
  slug: string;
  name: string;
  role: Role;
}

const OrgContext = createContext<OrgInfo | null>(null);

export function OrgProvider({ org, children }: { org: OrgInfo; children: ReactNode }) {
  useEffect(() => {
    document.cookie = `${LAST_ORG_COOKIE}=${org.slug}; Path=/; Max-Age=31536000; SameSite=Lax`;
  }, [org.slug]);
  return <OrgContext.Provider value={org}>{children}</OrgContext.Provider>;
}

export function useOrg(): OrgInfo {
  const o = useContext(OrgContext);
  if (!o) throw new Error('useOrg outside OrgProvider');
  return o;
}

/**
 * Whether the caller's role may do something. Mirrors the control plane's grants only to hide
 * controls; the API enforces them (a refused call shows its reason).
 */
export function can(role: Role, needs: Role): boolean {
  return RANK[role] >= RANK[needs];
}
