import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSwitchyardError } from '@switchyard/flags';
import { diffTrees, history } from './git-history.js';
import { mergeBranch, revertCommit } from './git-merge.js';
import { GitStore } from './git-store.js';

const alice = { name: 'Alice', email: 'alice@example.com' };
const bob = { name: 'Bob', email: 'bob@example.com' };

const dirs: string[] = [];
async function fresh(): Promise<GitStore> {
  const dir = await mkdtemp(join(tmpdir(), 'git-store-'));
  dirs.push(dir);
  return GitStore.open(join(dir, 'r.git'));
}
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('GitStore', () => {
  it('writes one commit per change with author, content and compare-and-swap', async () => {
    const s = await fresh();
    const c1 = await s.commit({
      branch: 'main',
      base: null,
      changes: new Map([['env/a.yaml', 'a: 1\n']]),
      author: alice,
      message: 'Create a',
    });
    const c2 = await s.commit({
      branch: 'main',
      base: c1,
      changes: new Map([['env/b.yaml', 'b: 1\n']]),
      author: bob,
      message: 'Create b',
    });
    expect(await s.head('main')).toBe(c2);
    const tree = await s.readTree(c2, 'env');
    expect([...tree.keys()].sort()).toEqual(['a.yaml', 'b.yaml']);
    expect(tree.get('b.yaml')?.toString()).toBe('b: 1\n');
    const log = await history(s, { rev: c2, limit: 10 });
    expect(log.commits.map((c) => [c.revision, c.author.email, c.summary])).toEqual([
      [c2, 'bob@example.com', 'Create b'],
      [c1, 'alice@example.com', 'Create a'],
    ]);
    // Stale base: nothing written, Conflict carries the current revision.
    const stale = await s
      .commit({
        branch: 'main',
        base: c1,
        changes: new Map([['env/c.yaml', 'c']]),
        author: alice,
        message: 'stale',
      })
      .catch((e: unknown) => e);
    expect(isSwitchyardError(stale, 'Conflict')).toBe(true);
    expect((stale as { meta: { revision: string } }).meta.revision).toBe(c2);
    expect(await s.head('main')).toBe(c2);
  });

  it('deletes files, paginates history by path and diffs', async () => {
    const s = await fresh();
    const c1 = await s.commit({
      branch: 'main',
      base: null,
      changes: new Map([
        ['a.yaml', '1\n'],
        ['b.yaml', '1\n'],
      ]),
      author: alice,
      message: 'init',
    });
    const c2 = await s.commit({
      branch: 'main',
      base: c1,
      changes: new Map([['a.yaml', '2\n']]),
      author: alice,
      message: 'a2',
    });
    const c3 = await s.commit({
      branch: 'main',
      base: c2,
      changes: new Map([['b.yaml', null]]),
      author: alice,
      message: 'rm b\n\nFlag: default/x',
    });
    const p1 = await history(s, { rev: c3, paths: ['a.yaml'], limit: 1 });
    expect(p1.commits.map((c) => c.revision)).toEqual([c2]);
    const p2 = await history(s, { rev: c3, paths: ['a.yaml'], limit: 1, after: p1.next! });
    expect(p2.commits.map((c) => c.revision)).toEqual([c1]);
    expect(p2.next).toBeNull();
    expect(
      (await history(s, { rev: c3, messageLine: 'Flag: default/x', limit: 5 })).commits.map(
        (c) => c.revision,
      ),
    ).toEqual([c3]);
    const d = await diffTrees(s, c1, c3);
    expect(d.files).toEqual([
      { path: 'a.yaml', status: 'modified' },
      { path: 'b.yaml', status: 'deleted' },
    ]);
    expect(d.patch).toContain('-1\n+2');
  });

  it('reverts with a three-way merge and reports overlapping edits as conflicts', async () => {
    const s = await fresh();
    const c1 = await s.commit({
      branch: 'main',
      base: null,
      changes: new Map([['f.yaml', 'a\nb\nc\nd\ne\nf\n']]),
      author: alice,
      message: 'init',
    });
    const c2 = await s.commit({
      branch: 'main',
      base: c1,
      changes: new Map([['f.yaml', 'A\nb\nc\nd\ne\nf\n']]),
      author: alice,
      message: 'A',
    });
    const c3 = await s.commit({
      branch: 'main',
      base: c2,
      changes: new Map([['f.yaml', 'A\nb\nc\nd\ne\nF\n']]),
      author: alice,
      message: 'F',
    });
    const r = await revertCommit(s, {
      branch: 'main',
      base: c3,
      commit: c2,
      author: bob,
      message: 'Revert A',
    });
    expect((await s.readTree(r)).get('f.yaml')?.toString()).toBe('a\nb\nc\nd\ne\nF\n');
    const c5 = await s.commit({
      branch: 'main',
      base: r,
      changes: new Map([['f.yaml', 'a\nb\nc\nd\ne\nG\n']]),
      author: alice,
      message: 'G',
    });
    const err = await revertCommit(s, {
      branch: 'main',
      base: c5,
      commit: c3,
      author: bob,
      message: 'Revert F',
    }).catch((e: unknown) => e);
    expect(isSwitchyardError(err, 'Conflict')).toBe(true);
    expect(await s.head('main')).toBe(c5);
  });

  it('merges a branch, or refuses with the conflicting files', async () => {
    const s = await fresh();
    const c1 = await s.commit({
      branch: 'main',
      base: null,
      changes: new Map([
        ['a', '1\n'],
        ['b', '1\n'],
      ]),
      author: alice,
      message: 'init',
    });
    await s.createBranch('switchyard/proposals/p1', c1);
    const p = await s.commit({
      branch: 'switchyard/proposals/p1',
      base: c1,
      changes: new Map([['a', '2\n']]),
      author: alice,
      message: 'p',
    });
    const m = await s.commit({
      branch: 'main',
      base: c1,
      changes: new Map([['b', '2\n']]),
      author: bob,
      message: 'main',
    });
    const merged = await mergeBranch(s, {
      branch: 'main',
      base: m,
      source: p,
      author: bob,
      message: 'Merge',
    });
    const tree = await s.readTree(merged);
    expect([tree.get('a')?.toString(), tree.get('b')?.toString()]).toEqual(['2\n', '2\n']);
    await s.createBranch('switchyard/proposals/p2', c1);
    const q = await s.commit({
      branch: 'switchyard/proposals/p2',
      base: c1,
      changes: new Map([['b', '3\n']]),
      author: alice,
      message: 'q',
    });
    const err = await mergeBranch(s, {
      branch: 'main',
      base: merged,
      source: q,
      author: bob,
      message: 'Merge',
    }).catch((e: unknown) => e);
    expect(isSwitchyardError(err, 'Conflict')).toBe(true);
    expect(await s.head('main')).toBe(merged);
  });

  it('never follows symlinks or submodules and refuses unsafe paths', async () => {
    const s = await fresh();
    const c1 = await s.commit({
      branch: 'main',
      base: null,
      changes: new Map([['ok.yaml', 'x']]),
      author: alice,
      message: 'init',
    });
    const link = (await s.git(['hash-object', '-w', '--stdin'], { input: '/etc/passwd' }))
      .toString()
      .trim();
    const tree = (
      await s.git(['mktree'], {
        input: `120000 blob ${link}\tevil.yaml\n100644 blob ${(await s.listFiles(c1))[0]!.id}\tok.yaml\n160000 commit ${c1}\tsub\n`,
      })
    )
      .toString()
      .trim();
    const c2 = await s.commit({
      branch: 'main',
      base: c1,
      changes: new Map(),
      tree,
      author: alice,
      message: 'links',
    });
    expect([...(await s.readTree(c2)).keys()]).toEqual(['ok.yaml']);
    for (const bad of ['../x', '/etc/x', '.git/config', 'a/../../b', 'a\\b', 'a\0b', '-x']) {
      const err = await s
        .commit({
          branch: 'main',
          base: c2,
          changes: new Map([[bad, 'x']]),
          author: alice,
          message: 'bad',
        })
        .catch((e: unknown) => e);
      expect(isSwitchyardError(err, 'InvalidArgument'), bad).toBe(true);
    }
    for (const bad of ['-b', '../x', 'a..b', 'x.lock', 'a b', 'a:b']) {
      await expect(s.head(bad)).rejects.toThrow(/branch/);
    }
  });
});
