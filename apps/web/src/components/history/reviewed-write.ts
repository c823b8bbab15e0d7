'use client';
import { openProposal } from '@/components/flags/flag-api';

/**
 * Runs a write on an environment: directly on an unprotected one (If-Match: its revision), or on
 * a new proposal on a protected one (If-Match: the proposal's revision), which a second member
 * then approves. Returns the new revision and the proposal, if one was opened.
 */
export async function reviewedWrite(
  org: string,
  env: { key: string; protected: boolean; revision: string },
  title: string,
  write: (target: { ifMatch: string; proposal?: string }) => Promise<{ revision: string }>,
): Promise<{ revision: string; proposal?: string }> {
  if (!env.protected) return write({ ifMatch: `"${env.revision}"` });
  const p = await openProposal(org, env.key, title);
  const res = await write({ ifMatch: `"${p.revision}"`, proposal: p.id });
  return { revision: res.revision, proposal: p.id };
}
