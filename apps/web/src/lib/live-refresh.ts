/**
 * The console's one "live" behaviour, shared by every page that shows an environment: when
 * someone else commits, the page refreshes and says who changed what; a page with unsaved edits
 * keeps them and warns instead (saving then shows what changed meanwhile).
 */
import { toast } from 'sonner';
import { useEnvironmentEvents, type CommitNotice } from './live';

/** "Ada committed to staging: Enable checkout (default/checkout)". */
export function describeCommit(env: string, commit: CommitNotice): string {
  const what = commit.changedFlags?.map((f) => `${f.namespace}/${f.key}`).join(', ');
  return (
    `${commit.author?.name ?? 'Someone'} committed to ${env}: ${commit.message}` +
    (what ? ` (${what})` : '')
  );
}

/** What {@link useLiveRefresh} needs from a page. */
export interface LiveRefreshOptions {
  /** Revision this page wrote or shows: a commit event of it is not news. */
  ownRevision?: string | undefined;
  /** Unsaved edits on the page: kept, and the notice warns instead of informing. */
  dirty?: boolean;
  /** Refetches the page's data; returns the notice to show, or undefined for the default one. */
  refresh: (commit: CommitNotice | undefined) => Promise<string | undefined> | void;
}

/** Follows `env`'s commits for a page (see the module comment). */
export function useLiveRefresh(org: string, env: string | undefined, o: LiveRefreshOptions): void {
  useEnvironmentEvents(
    org,
    env,
    (commit) => {
      if (o.ownRevision !== undefined && commit.revision === o.ownRevision) return;
      const note = describeCommit(env!, commit);
      if (o.dirty) {
        void o.refresh(commit);
        // Longer than a notice: it concerns the edit in progress.
        toast.warning(`${note}. Your unsaved edits are kept; saving shows what changed.`, {
          duration: 10_000,
        });
        return;
      }
      void Promise.resolve(o.refresh(commit)).then((custom) => toast.info(custom ?? note));
    },
    () => void o.refresh(undefined),
  );
}
