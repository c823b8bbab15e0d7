import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitStore } from './git-store.js';
import { initBare, readBranch, writeHead } from './repo-files.js';

const alice = { name: 'Alice', email: 'alice@example.com' };
const dirs: string[] = [];
async function tmp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'repo-files-'));
  dirs.push(dir);
  return join(dir, 'r.git');
}
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** One commit setting a.yaml to `a: <n>` on `branch` (from `base`). */
const commitA = (store: GitStore, branch: string, base: string | null, n: number) =>
  store.commit({
    branch,
    base,
    changes: new Map([['a.yaml', `a: ${n}\n`]]),
    author: alice,
    message: `a = ${n}`,
  });

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

/** Git's own answer for a branch: its commit, or null. */
function gitBranch(dir: string, branch: string): string | null {
  try {
    return git(dir, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`);
  } catch {
    return null;
  }
}

describe('repository files without git processes', () => {
  it('initBare makes a bare repository git uses as its own, once, also when raced', async () => {
    const dir = await tmp();
    await Promise.all(Array.from({ length: 5 }, () => initBare(dir)));
    expect(git(dir, 'rev-parse', '--is-bare-repository')).toBe('true');
    expect(git(dir, 'config', 'core.repositoryformatversion')).toBe('0');
    const store = new GitStore(dir);
    const c1 = await commitA(store, 'main', null, 1);
    expect(git(dir, 'log', '--format=%H', 'main')).toBe(c1);
    git(dir, 'fsck', '--strict');
    // Again, by us and by git: nothing already there is replaced.
    const config = await readFile(join(dir, 'config'), 'utf8');
    await initBare(dir);
    expect(await readFile(join(dir, 'config'), 'utf8')).toBe(config);
    expect(git(dir, 'init', '--bare')).toMatch(/^Reinitialized/);
    expect(await store.head('main')).toBe(c1);
  });

  it('writeHead points HEAD at a branch as symbolic-ref does, and respects git’s lock', async () => {
    const dir = await tmp();
    await initBare(dir);
    await writeHead(dir, 'feature/x');
    expect(git(dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/feature/x');
    await writeHead(dir, 'feature/x');
    await writeFile(join(dir, 'HEAD.lock'), 'held by git\n');
    await expect(writeHead(dir, 'main')).rejects.toThrow(/EEXIST/);
    expect(git(dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/feature/x');
    await expect(writeHead(dir, '../escape')).rejects.toThrow(/not a valid branch/);
  });

  it('readBranch agrees with rev-parse for loose, packed, missing and nested names', async () => {
    const dir = await tmp();
    const store = await GitStore.open(dir);
    expect(await readBranch(dir, 'main')).toBeNull();
    const c1 = await commitA(store, 'main', null, 1);
    await store.createBranch('team/one', c1);
    const c2 = await commitA(store, 'main', c1, 2);
    const names = ['main', 'team/one', 'team', 'team/one/deeper', 'absent'];
    const check = async () => {
      for (const name of names)
        expect(await readBranch(dir, name), name).toBe(gitBranch(dir, name));
    };
    await check();
    git(dir, 'pack-refs', '--all');
    await check();
    // Packed, then moved again: the loose file wins, as in git.
    const c3 = await commitA(store, 'main', c2, 3);
    await check();
    expect(await store.head('main')).toBe(c3);
    // A symbolic branch is git's to resolve.
    git(dir, 'symbolic-ref', 'refs/heads/alias', 'refs/heads/main');
    expect(await readBranch(dir, 'alias')).toBeUndefined();
    expect(await store.head('alias')).toBe(c3);
  });
});
