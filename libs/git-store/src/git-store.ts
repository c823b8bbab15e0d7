/**
 * A bare repository used as flag storage, driven only through plumbing (no worktree, no checkout):
 * trees are read with ls-tree/cat-file, changes become blobs (hash-object), a tree built in a
 * throw-away index (GIT_INDEX_FILE + read-tree/update-index/write-tree), one commit (commit-tree)
 * and a compare-and-swap ref update (`update-ref <ref> <new> <old>`). Invariant: a write names its
 * base revision; if the branch is not at that revision any more nothing is written and a Conflict
 * carrying the current revision is thrown, so concurrent writers can never lose each other's edits.
 */
import { randomUUID } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors } from '@switchyard/flags';
import { GitExecError, runGit, type GitExecOptions } from './git-exec.js';
import { formatTree, ObjectReader, writeObject, type RawTreeEntry } from './object-db.js';
import { isCommitId, isSafeRelativePath, isValidBranch } from './path-rules.js';
import { initBare, readBranch, writeHead } from './repo-files.js';

/** Changes as nested directories: a name maps to new content, null (delete) or a subdirectory. */
type ChangeNode = Map<string, ChangeNode | string | Uint8Array | null>;

/** Thrown inside the in-process tree builder where only git's index gets it right. */
const NEEDS_GIT = new Error('tree change needs the index-based path');

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
  /**
   * @param dir absolute path of the bare repository
   * @param env extra environment for every git process (a push's quarantine variables)
   */
  constructor(
    readonly dir: string,
    private readonly env: Readonly<Record<string, string>> = {},
  ) {}

  /** Creates the bare repository if missing (idempotent) and returns the store. */
  static async open(dir: string): Promise<GitStore> {
    const exists = await stat(join(dir, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (!exists) await initBare(dir);
    return new GitStore(dir);
  }

  /** Runs git in this repository. */
  git(args: readonly string[], options: Omit<GitExecOptions, 'cwd'> = {}): Promise<Buffer> {
    return runGit(args, { ...options, env: { ...this.env, ...options.env }, cwd: this.dir });
  }

  /** The commit a branch points at, or null when the branch does not exist. */
  async head(branch: string): Promise<string | null> {
    checkBranch(branch);
    // Fast path, no process: the loose ref file or its packed-refs line (branch names are
    // validated, so the path stays inside refs/heads). Anything unusual goes through git.
    const known = await readBranch(this.dir, branch);
    if (known !== undefined) return known;
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
    return (await this.objects().info(rev))?.type === 'commit';
  }

  /** The repository's pooled object reader (one `git cat-file --batch-command`). */
  objects(): ObjectReader {
    return ObjectReader.for(this.dir, this.env);
  }

  /**
   * Regular files under `directory` at `rev`, keyed relative to `directory`. Symlinks, submodules
   * and unsafe names are skipped (never followed).
   */
  async readTree(rev: string, directory = ''): Promise<Map<string, Buffer>> {
    checkRev(rev);
    return this.readFiles((await this.files(rev, directory)) ?? []);
  }

  /** The contents of listed files, keyed by their paths. */
  async readFiles(entries: readonly { path: string; oid: string }[]): Promise<Map<string, Buffer>> {
    const reader = this.objects();
    const contents = await Promise.all(entries.map((e) => reader.read(e.oid)));
    const out = new Map<string, Buffer>();
    entries.forEach((e, i) => {
      const object = contents[i];
      if (!object || object.info.type !== 'blob')
        throw new GitExecError(`object ${e.oid} (${e.path}) is missing`, 128, Buffer.alloc(0));
      out.set(e.path, object.content);
    });
    return out;
  }

  /** The file at `path` in `rev` (`git cat-file blob <rev>:<path>`), or null when it is not a file there. */
  async fileAt(rev: string, path: string): Promise<Buffer | null> {
    const object = await this.objects()
      .read(`${rev}:${path}`)
      .catch(() => null);
    return object?.info.type === 'blob' ? object.content : null;
  }

  /** Blob ids of regular files under `directory` at `rev` (relative paths). */
  async listFiles(rev: string, directory = ''): Promise<{ path: string; id: string }[]> {
    checkRev(rev);
    return ((await this.files(rev, directory)) ?? []).map((e) => ({ path: e.path, id: e.oid }));
  }

  /**
   * Regular files (modes 100644 and 100755) under `directory` of `treeish` (a commit or tree id),
   * in `ls-tree -r` order, with safe relative paths; symlinks and submodules are skipped. Null
   * when `treeish` or the directory does not exist. `sizes` also asks each blob's size.
   */
  async files(
    treeish: string,
    directory = '',
    options: { sizes?: boolean } = {},
  ): Promise<{ path: string; oid: string; size: number }[] | null> {
    const reader = this.objects();
    let tree = await reader.tree(treeish);
    for (const part of directory === '' ? [] : directory.split('/')) {
      const entry = tree?.find((e) => e.name === part && e.mode === '40000');
      tree = entry ? await reader.tree(entry.oid) : null;
    }
    if (!tree) return null;
    const out: { path: string; oid: string; size: number }[] = [];
    const walk = async (entries: RawTreeEntry[], prefix: string): Promise<void> => {
      for (const e of entries) {
        const path = `${prefix}${e.name}`;
        if (e.mode === '40000') await walk((await reader.tree(e.oid)) ?? [], `${path}/`);
        // 120000 = symlink, 160000 = submodule: never followed.
        else if ((e.mode === '100644' || e.mode === '100755') && isSafeRelativePath(path))
          out.push({ path, oid: e.oid, size: -1 });
      }
    };
    await walk(tree, '');
    if (options.sizes) {
      const infos = await Promise.all(out.map((e) => reader.info(e.oid)));
      infos.forEach((info, i) => (out[i]!.size = info?.size ?? 0));
    }
    return out;
  }

  /** Builds the tree of `base` plus `changes` without touching any ref. */
  async buildTree(base: string | null, changes: FileChanges): Promise<string> {
    const root: ChangeNode = new Map();
    for (const [path, content] of changes) {
      if (!isSafeRelativePath(path))
        throw errors.invalidArgument('unsafe file path', [
          { path: 'path', message: 'must be a relative path without "..", ".git" or "\\"' },
        ]);
      if (!addChange(root, path.split('/'), content)) return this.buildTreeWithGit(base, changes);
    }
    const reader = this.objects();
    const baseTree = base ? await reader.tree(base) : [];
    if (!baseTree) return this.buildTreeWithGit(base, changes);
    try {
      const tree = await this.writeTree(baseTree, root);
      return tree ?? (await writeObject(this.dir, 'tree', formatTree([]), reader));
    } catch (e) {
      if (e === NEEDS_GIT) return this.buildTreeWithGit(base, changes);
      throw e;
    }
  }

  /**
   * Writes the trees along the changed paths, bottom up; untouched subtrees keep their ids. Null
   * for a tree left empty (git has no empty directories). Throws {@link NEEDS_GIT} where a file
   * and a directory trade places, which the index-based path handles as git always has.
   */
  private async writeTree(
    entries: readonly RawTreeEntry[],
    changes: ChangeNode,
  ): Promise<string | null> {
    const reader = this.objects();
    const byName = new Map(entries.map((e) => [e.name, e]));
    for (const [name, change] of changes) {
      const existing = byName.get(name);
      if (change instanceof Map) {
        if (existing && existing.mode !== '40000') throw NEEDS_GIT;
        const sub = existing ? await reader.tree(existing.oid) : [];
        if (!sub) throw NEEDS_GIT;
        const oid = await this.writeTree(sub, change);
        if (oid === null) byName.delete(name);
        else byName.set(name, { mode: '40000', name, oid });
      } else if (change === null) {
        // Like `update-index` with mode 0: removes a file of that name, never a directory.
        if (existing && existing.mode !== '40000') byName.delete(name);
      } else {
        if (existing?.mode === '40000') throw NEEDS_GIT;
        const bytes = typeof change === 'string' ? Buffer.from(change) : Buffer.from(change);
        byName.set(name, {
          mode: '100644',
          name,
          oid: await writeObject(this.dir, 'blob', bytes, reader),
        });
      }
    }
    if (byName.size === 0) return null;
    return writeObject(this.dir, 'tree', formatTree([...byName.values()]), reader);
  }

  /** The same tree through a throw-away index (the original path; kept for the rare edge cases). */
  private async buildTreeWithGit(base: string | null, changes: FileChanges): Promise<string> {
    const index = join(tmpdir(), `switchyard-index-${randomUUID()}`);
    const env = { GIT_INDEX_FILE: index };
    try {
      await this.git(base ? ['read-tree', base] : ['read-tree', '--empty'], { env });
      const lines: string[] = [];
      for (const [path, content] of changes) {
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
    const commit = await this.writeCommit(tree, parents, request.author, request.message);
    await this.moveRef(request.branch, commit, request.base);
    return commit;
  }

  /**
   * The commit object `git commit-tree` would write (same author and committer, now, in the local
   * time zone). Identities git would clean up (angle brackets, newlines, leading or trailing
   * punctuation) go through commit-tree itself, so the result is always what git writes.
   */
  private async writeCommit(
    tree: string,
    parents: readonly string[],
    who: Author,
    message: string,
  ): Promise<string> {
    if (!plainIdent(who.name) || !plainIdent(who.email)) {
      const env = {
        GIT_AUTHOR_NAME: who.name,
        GIT_AUTHOR_EMAIL: who.email,
        GIT_COMMITTER_NAME: who.name,
        GIT_COMMITTER_EMAIL: who.email,
      };
      return (
        await this.git(['commit-tree', ...parents.flatMap((p) => ['-p', p]), tree], {
          env,
          input: message,
        })
      )
        .toString()
        .trim();
    }
    const now = new Date();
    const offset = -now.getTimezoneOffset();
    const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}${String(Math.abs(offset) % 60).padStart(2, '0')}`;
    const ident = `${who.name} <${who.email}> ${Math.floor(now.getTime() / 1000)} ${zone}`;
    const text = [
      `tree ${tree}\n`,
      ...parents.map((p) => `parent ${p}\n`),
      `author ${ident}\ncommitter ${ident}\n\n${message}`,
    ].join('');
    return writeObject(this.dir, 'commit', Buffer.from(text), this.objects());
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
    await writeHead(this.dir, branch);
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

/** Adds one change; false when a path is both a file and a directory within the same change set. */
function addChange(
  root: ChangeNode,
  parts: string[],
  content: string | Uint8Array | null,
): boolean {
  let node = root;
  for (const part of parts.slice(0, -1)) {
    const next = node.get(part);
    if (next === undefined) {
      const child: ChangeNode = new Map();
      node.set(part, child);
      node = child;
    } else if (next instanceof Map) node = next;
    else return false;
  }
  const last = parts[parts.length - 1]!;
  if (node.get(last) instanceof Map) return false;
  node.set(last, content);
  return true;
}

/** An identity git writes unchanged: no angle brackets or control characters, no "crud" at the ends. */
function plainIdent(value: string): boolean {
  // git's ident.c: characters up to space and .,:;<>"\' are "crud" at either end.
  const crud = (c: string) => c <= ' ' || '.,:;<>"\\\''.includes(c);
  return (
    value.length > 0 &&
    ![...value].some((c) => c < ' ' || c === '<' || c === '>') &&
    !crud(value[0]!) &&
    !crud(value[value.length - 1]!)
  );
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
