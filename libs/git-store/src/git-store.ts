/**
 * A bare repository used as flag storage, driven only through plumbing (no worktree, no checkout):
 * trees are read with ls-tree/cat-file, changes become blobs (hash-object), a tree built in a
 * throw-away index (GIT_INDEX_FILE + read-tree/update-index/write-tree), one commit (commit-tree)
 * and a compare-and-swap ref update (`update-ref <ref> <new> <old>`). Invariant: a write names its
 * base revision; if the branch is not at that revision any more nothing is written and a Conflict
 * carrying the current revision is thrown, so concurrent writers can never lose each other's edits.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors } from '@switchyard/flags';
import { GitExecError, runGit, type GitExecOptions } from './git-exec.js';
import { isCommitId, isSafeRelativePath, isValidBranch } from './path-rules.js';

/** Who made a change: author and committer of the commit. */
export interface Author {
  name: string;
  email: string;
}

/** Files to write (text or bytes) or delete (`null`), keyed by repository-relative path. */
export type FileChanges = ReadonlyMap<string, string | Uint8Array | null>;

/** One commit that creates the change: `base` must be the branch head (null for an unborn branch). */
export interface CommitRequest {
  branch: string;
  base: string | null;
  changes: FileChanges;
  author: Author;
  message: string;
  /** Extra parents after the base (merges). */
  parents?: readonly string[];
  /** Use this tree instead of building one from `changes`. */
  tree?: string;
}

/** An empty tree's id (SHA-1 object format). */
export const ZERO_ID = '0000000000000000000000000000000000000000';

/** A bare repository on local disk. */
export class GitStore {
  /** @param dir absolute path of the bare repository */
  constructor(readonly dir: string) {}

  /** Creates the bare repository if missing (idempotent) and returns the store. */
  static async open(dir: string): Promise<GitStore> {
    const exists = await stat(join(dir, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await mkdir(dir, { recursive: true });
      await runGit(['init', '--bare', '--quiet'], { cwd: dir });
    }
    return new GitStore(dir);
  }

  /** Runs git in this repository. */
  git(args: readonly string[], options: Omit<GitExecOptions, 'cwd'> = {}): Promise<Buffer> {
    return runGit(args, { ...options, cwd: this.dir });
  }

  /** The commit a branch points at, or null when the branch does not exist. */
  async head(branch: string): Promise<string | null> {
    checkBranch(branch);
    // Fast path: a loose ref is a file holding the id (update-ref writes loose refs; branch names
    // are validated, so the path stays inside refs/heads). Packed or symbolic refs go through git.
    const loose = await readFile(
      join(this.dir, 'refs', 'heads', ...branch.split('/')),
      'utf8',
    ).catch(() => '');
    if (isCommitId(loose.trim())) return loose.trim();
    try {
      return (
        await this.git([
          'rev-parse',
          '--verify',
          '--quiet',
          '--end-of-options',
          `refs/heads/${branch}^{commit}`,
        ])
      )
        .toString()
        .trim();
    } catch (e) {
      if (e instanceof GitExecError && e.exitCode === 1) return null;
      throw e;
    }
  }

  /** True when `rev` is a full commit id present in this repository. */
  async hasCommit(rev: string): Promise<boolean> {
    if (!isCommitId(rev)) return false;
    return this.git(['cat-file', '-e', `${rev}^{commit}`]).then(
      () => true,
      () => false,
    );
  }

  /**
   * Regular files under `directory` at `rev`, keyed relative to `directory`. Symlinks, submodules
   * and unsafe names are skipped (never followed).
   */
  async readTree(rev: string, directory = ''): Promise<Map<string, Buffer>> {
    const entries = await this.listFiles(rev, directory);
    const out = new Map<string, Buffer>();
    if (entries.length === 0) return out;
    const batch = await this.git(['cat-file', '--batch'], {
      input: entries.map((e) => `${e.id}\n`).join(''),
    });
    let offset = 0;
    for (const entry of entries) {
      const nl = batch.indexOf(0x0a, offset);
      const size = Number(batch.subarray(offset, nl).toString().split(' ')[2]);
      out.set(entry.path, batch.subarray(nl + 1, nl + 1 + size));
      offset = nl + 1 + size + 1;
    }
    return out;
  }

  /** Blob ids of regular files under `directory` at `rev` (relative paths). */
  async listFiles(rev: string, directory = ''): Promise<{ path: string; id: string }[]> {
    checkRev(rev);
    const spec = directory === '' ? [] : ['--', directory];
    const raw = (await this.git(['ls-tree', '-r', '-z', '--full-tree', rev, ...spec])).toString(
      'utf8',
    );
    const prefix = directory === '' ? '' : `${directory}/`;
    const out: { path: string; id: string }[] = [];
    for (const line of raw.split('\0')) {
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      const [mode, type, id] = line.slice(0, tab).split(' ');
      const path = line.slice(tab + 1);
      // 120000 = symlink, 160000 = submodule (type commit): never followed.
      if (
        type !== 'blob' ||
        (mode !== '100644' && mode !== '100755') ||
        !id ||
        !path.startsWith(prefix)
      )
        continue;
      const rel = path.slice(prefix.length);
      if (isSafeRelativePath(rel)) out.push({ path: rel, id });
    }
    return out;
  }

  /** Builds the tree of `base` plus `changes` without touching any ref. */
  async buildTree(base: string | null, changes: FileChanges): Promise<string> {
    const index = join(tmpdir(), `switchyard-index-${randomUUID()}`);
    const env = { GIT_INDEX_FILE: index };
    try {
      await this.git(base ? ['read-tree', base] : ['read-tree', '--empty'], { env });
      const lines: string[] = [];
      for (const [path, content] of changes) {
        if (!isSafeRelativePath(path))
          throw errors.invalidArgument('unsafe file path', [
            { path: 'path', message: 'must be a relative path without "..", ".git" or "\\"' },
          ]);
        if (content === null) lines.push(`0 ${ZERO_ID}\t${path}`);
        else
          lines.push(
            `100644 ${(await this.git(['hash-object', '-w', '--stdin'], { input: content })).toString().trim()}\t${path}`,
          );
      }
      if (lines.length > 0)
        await this.git(['update-index', '-z', '--index-info'], {
          env,
          input: lines.join('\0') + '\0',
        });
      return (await this.git(['write-tree'], { env })).toString().trim();
    } finally {
      await rm(index, { force: true });
      await rm(`${index}.lock`, { force: true });
    }
  }

  /** Writes one commit on `branch` on top of `base`; Conflict (meta.revision) when the branch moved. */
  async commit(request: CommitRequest): Promise<string> {
    const current = await this.head(request.branch);
    if (current !== request.base) throw staleConflict(current);
    const tree = request.tree ?? (await this.buildTree(request.base, request.changes));
    const parents = [...(request.base ? [request.base] : []), ...(request.parents ?? [])];
    const who = request.author;
    const env = {
      GIT_AUTHOR_NAME: who.name,
      GIT_AUTHOR_EMAIL: who.email,
      GIT_COMMITTER_NAME: who.name,
      GIT_COMMITTER_EMAIL: who.email,
    };
    const commit = (
      await this.git(['commit-tree', ...parents.flatMap((p) => ['-p', p]), tree], {
        env,
        input: request.message,
      })
    )
      .toString()
      .trim();
    await this.moveRef(request.branch, commit, request.base);
    return commit;
  }

  /** Compare-and-swap of `refs/heads/<branch>` from `expected` (null: must not exist) to `next`. */
  async moveRef(branch: string, next: string, expected: string | null): Promise<void> {
    checkBranch(branch);
    try {
      await this.git([
        'update-ref',
        '--no-deref',
        `refs/heads/${branch}`,
        next,
        expected ?? ZERO_ID,
      ]);
    } catch (e) {
      if (!(e instanceof GitExecError)) throw e;
      // Lost the race (or the ref lock): report the revision the branch is at now.
      throw staleConflict(await this.head(branch));
    }
  }

  /** Points HEAD (what a clone checks out) at `branch`. */
  async setDefaultBranch(branch: string): Promise<void> {
    checkBranch(branch);
    await this.git(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
  }

  /** Creates `branch` at `rev`; AlreadyExists when it exists. */
  async createBranch(branch: string, rev: string): Promise<void> {
    checkRev(rev);
    if ((await this.head(branch)) !== null)
      throw errors.alreadyExists(`branch ${branch} already exists`);
    await this.moveRef(branch, rev, null);
  }

  /** Deletes `branch` if it still points at `expected`. */
  async deleteBranch(branch: string, expected: string): Promise<void> {
    checkBranch(branch);
    await this.git(['update-ref', '-d', `refs/heads/${branch}`, expected]);
  }
}

/** The Conflict a stale base produces; the current revision is in the message and `meta.revision`. */
export function staleConflict(current: string | null) {
  return errors.conflict(
    `the branch has moved on: current revision is ${current ?? '(none)'}; reload and apply your change again`,
    { revision: current },
  );
}

function checkBranch(branch: string): void {
  if (!isValidBranch(branch))
    throw errors.invalidArgument('invalid branch name', [
      { path: 'branch', message: 'not a valid branch name' },
    ]);
}

function checkRev(rev: string): void {
  if (!isCommitId(rev))
    throw errors.invalidArgument('invalid revision', [
      { path: 'revision', message: 'must be a full 40-character commit id' },
    ]);
}
