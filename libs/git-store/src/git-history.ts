/** History and diffs of a {@link GitStore}: read-only, paginated by commit id. */
import { errors } from '@switchyard/flags';
import type { GitStore } from './git-store.js';
import { isCommitId } from './path-rules.js';

/** One commit as the API shows it. */
export interface CommitInfo {
  revision: string;
  parents: string[];
  author: { name: string; email: string };
  time: string;
  /** First line of the message. */
  summary: string;
  message: string;
}

/** A query over the history of one revision. */
export interface HistoryQuery {
  /** Start here (a branch head). */
  rev: string;
  /** Only commits touching these repository paths. */
  paths?: readonly string[];
  /** Only commits whose message has this exact line (e.g. a `Flag: ns/key` trailer). */
  messageLine?: string;
  limit: number;
  /** Continue after this commit (the previous page's `next`). */
  after?: string | undefined;
}

/** A page of commits, newest first. */
export interface HistoryPage {
  commits: CommitInfo[];
  next: string | null;
}

const FIELD = '\x1f';
const RECORD = '\x1e';

/** Lists commits reachable from `query.rev`, newest first. */
export async function history(store: GitStore, query: HistoryQuery): Promise<HistoryPage> {
  const start = query.after ?? query.rev;
  if (!isCommitId(start) || !isCommitId(query.rev))
    throw errors.invalidArgument('invalid cursor', [
      { path: 'query.cursor', message: 'must be a commit id' },
    ]);
  if (query.after !== undefined && !(await store.hasCommit(query.after)))
    throw errors.invalidArgument('invalid cursor', [
      { path: 'query.cursor', message: 'unknown commit' },
    ]);
  const args = [
    'log',
    `--format=%H${FIELD}%P${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%B${RECORD}`,
    `--max-count=${query.limit + 1}`,
  ];
  if (query.after !== undefined) args.push('--skip=1');
  if (query.messageLine !== undefined)
    args.push('--extended-regexp', `--grep=^${escapeRegex(query.messageLine)}$`);
  args.push(start, '--', ...(query.paths ?? []));
  const raw = (await store.git(args)).toString('utf8');
  const commits = raw
    .split(RECORD)
    .map((r) => r.replace(/^\n/u, ''))
    .filter((r) => r.includes(FIELD))
    .map(parseCommit);
  const page = commits.slice(0, query.limit);
  return {
    commits: page,
    next: commits.length > query.limit ? (page.at(-1)?.revision ?? null) : null,
  };
}

function parseCommit(record: string): CommitInfo {
  const [revision = '', parents = '', name = '', email = '', time = '', message = ''] =
    record.split(FIELD);
  const body = message.trimEnd();
  return {
    revision,
    parents: parents.split(' ').filter(Boolean),
    author: { name, email },
    time,
    summary: body.split('\n')[0] ?? '',
    message: body,
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** One changed file of a diff. */
export interface DiffFile {
  path: string;
  status: 'added' | 'modified' | 'deleted';
}

/** Differences between two trees under a directory. */
export interface TreeDiff {
  files: DiffFile[];
  /** Unified diff (paths relative to the repository root). */
  patch: string;
}

const STATUS: Record<string, DiffFile['status']> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  T: 'modified',
};

/** Diff of two commits or trees, limited to `directory` ('' = everything). */
export async function diffTrees(
  store: GitStore,
  from: string,
  to: string,
  directory = '',
): Promise<TreeDiff> {
  const spec = ['--', ...(directory === '' ? [] : [directory])];
  const common = ['--no-ext-diff', '--no-textconv', '--no-color', '--no-renames', '--full-index'];
  const names = (
    await store.git(['diff-tree', '-r', '-z', '--name-status', ...common, from, to, ...spec])
  )
    .toString('utf8')
    .split('\0');
  const files: DiffFile[] = [];
  for (let i = 0; i + 1 < names.length; i += 2)
    files.push({ path: names[i + 1] ?? '', status: STATUS[names[i] ?? 'M'] ?? 'modified' });
  const patch = (await store.git(['diff-tree', '-r', '-p', ...common, from, to, ...spec])).toString(
    'utf8',
  );
  return { files, patch };
}

/** Checks that `rev` is a known commit; InvalidArgument at `field` otherwise. */
export async function requireCommit(store: GitStore, rev: string, field: string): Promise<void> {
  if (!(await store.hasCommit(rev)))
    throw errors.invalidArgument('unknown revision', [
      { path: field, message: 'not a commit of this repository' },
    ]);
}
