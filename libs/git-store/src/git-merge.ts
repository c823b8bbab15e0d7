/**
 * Reverts and merges without a worktree. A revert is a per-file three-way merge (git merge-file
 * on temporary copies) of "the commit's parent" into the branch with the commit as ancestor; a
 * proposal merge is `git merge-tree --write-tree`. Conflicts are reported (Conflict with the
 * files), never resolved by overwriting.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors } from '@switchyard/flags';
import { GitExecError, runGit } from './git-exec.js';
import type { Author, GitStore } from './git-store.js';
import { diffTrees, requireCommit } from './git-history.js';

/** Reverts `commit` on `branch` (at `base`) as one new commit; Conflict when later edits overlap. */
export async function revertCommit(
  store: GitStore,
  input: { branch: string; base: string; commit: string; author: Author; message: string },
): Promise<string> {
  const changes = await revertChanges(store, input.commit, input.base);
  return store.commit({
    branch: input.branch,
    base: input.base,
    changes,
    author: input.author,
    message: input.message,
  });
}

/** The file changes that undo `commit` on top of `base` (three-way per file); Conflict when later edits overlap. */
export async function revertChanges(
  store: GitStore,
  commit: string,
  base: string,
): Promise<Map<string, Buffer | null>> {
  const input = { commit, base };
  await requireCommit(store, input.commit, 'body.revision');
  const parents = (await store.git(['rev-list', '--parents', '-n', '1', input.commit]))
    .toString()
    .trim()
    .split(' ')
    .slice(1);
  if (parents.length !== 1)
    throw errors.failedPrecondition('only commits with exactly one parent can be reverted');
  const parent = parents[0]!;
  const { files } = await diffTrees(store, parent, input.commit);
  const changes = new Map<string, Buffer | null>();
  const conflicts: string[] = [];
  for (const f of files) {
    const [ancestor, theirs, ours] = await Promise.all([
      blob(store, input.commit, f.path),
      blob(store, parent, f.path),
      blob(store, input.base, f.path),
    ]);
    const merged = await mergeFile(ours, ancestor, theirs);
    if (merged === undefined) conflicts.push(f.path);
    else changes.set(f.path, merged);
  }
  if (conflicts.length > 0)
    throw errors.conflict(`revert conflicts with later changes in ${conflicts.join(', ')}`, {
      files: conflicts,
    });
  return changes;
}

/** Merges `source` into `branch` (at `base`) with a merge commit; Conflict listing the files otherwise. */
export async function mergeBranch(
  store: GitStore,
  input: { branch: string; base: string; source: string; author: Author; message: string },
): Promise<string> {
  const tree = await mergeTrees(store, input.base, input.source);
  return store.commit({
    branch: input.branch,
    base: input.base,
    changes: new Map(),
    tree,
    parents: [input.source],
    author: input.author,
    message: input.message,
  });
}

/** The tree of merging `source` into `base` (nothing written to refs); Conflict listing the files otherwise. */
export async function mergeTrees(store: GitStore, base: string, source: string): Promise<string> {
  const input = { base, source };
  let tree: string;
  try {
    tree = (
      await store.git([
        'merge-tree',
        '--write-tree',
        '--name-only',
        '--no-messages',
        input.base,
        input.source,
      ])
    )
      .toString()
      .split('\n')[0]!
      .trim();
  } catch (e) {
    if (e instanceof GitExecError && e.exitCode === 1) {
      const files = e.stdout.toString().split('\n').slice(1).filter(Boolean);
      throw errors.conflict(
        `the proposal conflicts with the environment in ${files.join(', ') || 'some files'}; update the proposal first`,
        { files },
      );
    }
    throw e;
  }
  return tree;
}

function blob(store: GitStore, rev: string, path: string): Promise<Buffer | null> {
  return store.fileAt(rev, path);
}

/** Three-way merge of one file; null = deleted, undefined = conflict. */
async function mergeFile(
  ours: Buffer | null,
  ancestor: Buffer | null,
  theirs: Buffer | null,
): Promise<Buffer | null | undefined> {
  if (same(ours, ancestor)) return theirs;
  if (same(ours, theirs)) return ours;
  if (ours === null || ancestor === null || theirs === null) return undefined;
  const dir = join(tmpdir(), `switchyard-merge-${randomUUID()}`);
  await mkdir(dir);
  try {
    const [o, a, t] = [join(dir, 'ours'), join(dir, 'base'), join(dir, 'theirs')];
    await Promise.all([writeFile(o, ours), writeFile(a, ancestor), writeFile(t, theirs)]);
    try {
      await runGit(['merge-file', '--quiet', '--', o, a, t], { cwd: dir });
    } catch (e) {
      if (e instanceof GitExecError && (e.exitCode ?? 0) > 0) return undefined;
      throw e;
    }
    return await readFile(o);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function same(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}
