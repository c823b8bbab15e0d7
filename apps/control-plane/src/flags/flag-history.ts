/**
 * History of one flag by content: a commit belongs to it when the flag (as parsed from its
 * namespace's files) differs from the commit's first parent, so edits pushed outside Switchyard
 * count as much as API edits. Scans at most {@link MAX_SCANNED} commits per page.
 */
import { parseFeatureFile } from '@switchyard/flags';
import { history, type CommitInfo, type GitStore, type HistoryPage } from '@switchyard/git-store';

/** Upper bound of commits inspected for one page. */
export const MAX_SCANNED = 2000;

/** Query of {@link flagHistory}; `paths` are the namespace's files (repository paths). */
export interface FlagHistoryQuery {
  rev: string;
  paths: string[];
  namespace: string;
  flag: string;
  limit: number;
  after?: string | undefined;
}

/** Commits that changed the flag, newest first, with a cursor like {@link history}. */
export async function flagHistory(store: GitStore, q: FlagHistoryQuery): Promise<HistoryPage> {
  const seen = new Map<string, string | null>();
  const flagAt = async (rev: string): Promise<string | null> => {
    if (!seen.has(rev)) seen.set(rev, await readFlag(store, rev, q));
    return seen.get(rev)!;
  };
  const found: CommitInfo[] = [];
  let cursor = q.after;
  let scanned = 0;
  while (found.length <= q.limit && scanned < MAX_SCANNED) {
    const page = await history(store, { rev: q.rev, paths: q.paths, limit: 50, after: cursor });
    for (const c of page.commits) {
      scanned += 1;
      const parent = c.parents[0];
      if ((await flagAt(c.revision)) !== (parent ? await flagAt(parent) : null)) found.push(c);
      if (found.length > q.limit) break;
    }
    if (page.next === null) break;
    cursor = page.next;
  }
  const commits = found.slice(0, q.limit);
  return { commits, next: found.length > q.limit ? (commits.at(-1)?.revision ?? null) : null };
}

/** The flag's canonical JSON at `rev` (null when absent there). */
async function readFlag(store: GitStore, rev: string, q: FlagHistoryQuery): Promise<string | null> {
  for (const path of q.paths) {
    const blob = await store.fileAt(rev, path);
    if (blob === null) continue;
    for (const d of parseFeatureFile(path, blob).documents) {
      if (d.document.namespace.key !== q.namespace) continue;
      const flag = d.document.flags.find((f) => f.key === q.flag);
      if (flag) return JSON.stringify(flag);
    }
  }
  return null;
}
