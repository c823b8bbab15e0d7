/**
 * Proposal records live in the environment's repository next to their branch, so a proposal and
 * its changes can never disagree: `refs/heads/switchyard/proposals/<id>` holds the commits and
 * `refs/switchyard/proposal-meta/<id>` points at a JSON blob with title, author and state, updated
 * with compare-and-swap like any other ref.
 */
import { errors, isSwitchyardError } from '@switchyard/flags';
import { GitExecError, type GitStore } from '@switchyard/git-store';
import { retry } from '@switchyard/retry';

/** A proposal's record. */
export interface ProposalRecord {
  id: string;
  title: string;
  status: 'open' | 'merged';
  /** Branch the proposal targets (the environment's branch when it was opened). */
  target: string;
  /** Revision of the target the proposal was opened from. */
  base: string;
  createdBy: { userId: string; email: string };
  createdAt: string;
  mergedBy?: { userId: string; email: string } | undefined;
  mergedRevision?: string | undefined;
  /**
   * Approvals, each pinned to the proposal revision the reviewer saw (If-Match). Only approvals of
   * the current head count; any new change on the proposal branch withdraws them all.
   */
  approvals?: ProposalApproval[] | undefined;
  /** Requests for changes, each pinned to the revision reviewed; a later change withdraws them. */
  changeRequests?: ProposalChangeRequest[] | undefined;
}

/** One reviewer's request for changes to one revision of a proposal. */
export interface ProposalChangeRequest {
  userId: string;
  email: string;
  revision: string;
  comment: string;
  requestedAt: string;
}

/** One reviewer's approval of one revision of a proposal. */
export interface ProposalApproval {
  userId: string;
  email: string;
  /** Head of the proposal branch that was reviewed. */
  revision: string;
  approvedAt: string;
}

/** The branch of proposal `id`. */
export const proposalBranch = (id: string): string => `switchyard/proposals/${id}`;
const metaRef = (id: string): string => `refs/switchyard/proposal-meta/${id}`;

/** Reads a proposal record with the blob id (for compare-and-swap); undefined when unknown. */
export async function readProposal(
  store: GitStore,
  id: string,
): Promise<{ record: ProposalRecord; blob: string } | undefined> {
  if (!/^[0-9a-f-]{36}$/u.test(id)) return undefined;
  try {
    const blob = (await store.git(['rev-parse', '--verify', '--quiet', metaRef(id)]))
      .toString()
      .trim();
    const record = JSON.parse(
      (await store.git(['cat-file', 'blob', blob])).toString('utf8'),
    ) as ProposalRecord;
    return { record, blob };
  } catch (e) {
    if (e instanceof GitExecError) return undefined;
    throw e;
  }
}

/** Writes a proposal record; `expected` is the previous blob (null: must not exist). */
export async function writeProposal(
  store: GitStore,
  record: ProposalRecord,
  expected: string | null,
): Promise<void> {
  const blob = (
    await store.git(['hash-object', '-w', '--stdin'], { input: JSON.stringify(record) })
  )
    .toString()
    .trim();
  try {
    await store.git([
      'update-ref',
      metaRef(record.id),
      blob,
      expected ?? '0000000000000000000000000000000000000000',
    ]);
  } catch (e) {
    if (e instanceof GitExecError)
      throw errors.conflict('the proposal changed meanwhile; reload it');
    throw e;
  }
}

/**
 * A new change landed on proposal `id` (API edit or push): approvals of any other revision are
 * withdrawn. Compare-and-swap; a concurrent update of the record wins and is retried once.
 */
export async function resetApprovals(store: GitStore, id: string, head: string): Promise<void> {
  // Only a lost compare-and-swap is retried; each attempt re-reads the record, so the retry
  // applies to the winner's version (no delay: that update has landed when our swap fails).
  await retry(
    async () => {
      const found = await readProposal(store, id);
      const approvals = found?.record.approvals ?? [];
      if (!found || found.record.status !== 'open' || approvals.every((a) => a.revision === head))
        return;
      const kept = approvals.filter((a) => a.revision === head);
      await writeProposal(store, { ...found.record, approvals: kept }, found.blob);
    },
    { maxAttempts: 2, retryIf: (e) => isSwitchyardError(e, 'Conflict') },
  );
}

/** Every proposal record of the repository, newest first. */
export async function listProposals(store: GitStore): Promise<ProposalRecord[]> {
  const refs = (
    await store.git(['for-each-ref', '--format=%(objectname)', 'refs/switchyard/proposal-meta/'])
  )
    .toString()
    .split('\n')
    .filter(Boolean);
  const out: ProposalRecord[] = [];
  for (const blob of refs)
    out.push(
      JSON.parse((await store.git(['cat-file', 'blob', blob])).toString('utf8')) as ProposalRecord,
    );
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
