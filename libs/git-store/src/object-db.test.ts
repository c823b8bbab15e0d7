import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGit } from './git-exec.js';
import { GitStore, type FileChanges } from './git-store.js';
import { ObjectReader } from './object-db.js';

const alice = { name: 'Alice Example', email: 'alice@example.com' };

const dirs: string[] = [];
async function fresh(): Promise<GitStore> {
  const dir = await mkdtemp(join(tmpdir(), 'git-store-'));
  dirs.push(dir);
  return GitStore.open(join(dir, 'r.git'));
}
afterAll(async () => {
  ObjectReader.closeAll();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A small deterministic generator, so a failure names the seed that produced it. */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const NAMES = ['a', 'b', 'a.yaml', 'a-b', 'a0', 'z', 'flags', 'x.y', 'é'];

function randomChanges(next: (n: number) => number): FileChanges {
  const changes = new Map<string, string | null>();
  for (let i = 0, n = 1 + next(5); i < n; i++) {
    const depth = 1 + next(3);
    const path = Array.from({ length: depth }, () => NAMES[next(NAMES.length)]!).join('/');
    changes.set(path, next(4) === 0 ? null : `v: ${next(1000)}\n`);
  }
  return changes;
}

describe('in-process objects', () => {
  it('builds the same trees as git’s index (property, 8 change sets on evolving bases)', async () => {
    const s = await fresh();
    let base: string | null = null;
    for (let seed = 1; seed <= 8; seed++) {
      const changes = randomChanges(random(seed));
      const viaIndex = await s['buildTreeWithGit'](base, changes).catch((e: unknown) => e);
      const inProcess = await s.buildTree(base, changes).catch((e: unknown) => e);
      expect(inProcess, `seed ${seed}`).toEqual(viaIndex);
      if (typeof inProcess !== 'string') continue;
      base = await s.commit({
        branch: 'main',
        base,
        changes,
        author: alice,
        message: `seed ${seed}\n`,
      });
    }
    // Every object written in-process is one git accepts as well-formed.
    await runGit(['fsck', '--strict', '--no-dangling'], { cwd: s.dir });
    // Each seed starts about eight git processes (the index path): slow on a loaded machine.
  }, 120_000);

  it('writes the commit git commit-tree writes, and lets git clean up unusual identities', async () => {
    const s = await fresh();
    const c1 = await s.commit({
      branch: 'main',
      base: null,
      changes: new Map([['env/a.yaml', 'a: 1\n']]),
      author: alice,
      message: 'Create a\n\nFlag: a\n',
    });
    const raw = (await s.git(['cat-file', 'commit', c1])).toString();
    const stamp = /^author .* (\d+ [+-]\d{4})$/m.exec(raw)![1]!;
    const tree = /^tree (\w+)$/m.exec(raw)![1]!;
    const byGit = (
      await s.git(['commit-tree', tree], {
        input: 'Create a\n\nFlag: a\n',
        env: {
          GIT_AUTHOR_NAME: alice.name,
          GIT_AUTHOR_EMAIL: alice.email,
          GIT_COMMITTER_NAME: alice.name,
          GIT_COMMITTER_EMAIL: alice.email,
          GIT_AUTHOR_DATE: stamp,
          GIT_COMMITTER_DATE: stamp,
        },
      })
    )
      .toString()
      .trim();
    expect(c1).toBe(byGit);

    const odd = { name: ' <Mallory>. ', email: 'm@example.com>' };
    const c2 = await s.commit({
      branch: 'main',
      base: c1,
      changes: new Map([['env/b.yaml', 'b: 1\n']]),
      author: odd,
      message: 'odd',
    });
    expect((await s.git(['cat-file', 'commit', c2])).toString()).toMatch(
      /^author Mallory <m@example.com> \d+/m,
    );
    await runGit(['fsck', '--strict', '--no-dangling'], { cwd: s.dir });
  });

  it('answers missing objects with null and recovers when its git process is stopped', async () => {
    const s = await fresh();
    const c1 = await s.commit({
      branch: 'main',
      base: null,
      changes: new Map([['a.yaml', 'a: 1\n']]),
      author: alice,
      message: 'a',
    });
    const reader = s.objects();
    expect(await reader.read('0123456789012345678901234567890123456789')).toBeNull();
    expect(await s.hasCommit('0123456789012345678901234567890123456789')).toBe(false);
    reader.close();
    expect(await s.hasCommit(c1)).toBe(true);
    expect((await s.readTree(c1)).get('a.yaml')?.toString()).toBe('a: 1\n');
    // A directory that is a file, or absent, lists nothing.
    expect(await s.files(c1, 'a.yaml')).toBeNull();
    expect(await s.files(c1, 'missing')).toBeNull();
  });

  it('reads objects larger than a pipe chunk whole, one after another', async () => {
    const s = await fresh();
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'ab\n');
    const c1 = await s.commit({
      branch: 'main',
      base: null,
      changes: new Map<string, string | Uint8Array>([
        ['big.yaml', big],
        ['small.yaml', 'a: 1\n'],
      ]),
      author: alice,
      message: 'big',
    });
    s.objects().close(); // nothing cached: everything comes through git
    const [a, b, c] = await Promise.all([
      s.fileAt(c1, 'big.yaml'),
      s.fileAt(c1, 'small.yaml'),
      s.fileAt(c1, 'big.yaml'),
    ]);
    expect(a?.equals(big)).toBe(true);
    expect(b?.toString()).toBe('a: 1\n');
    expect(c?.equals(big)).toBe(true);
  });

  it('swaps a file for a directory as git does (through the index)', async () => {
    const s = await fresh();
    const c1 = await s.commit({
      branch: 'main',
      base: null,
      changes: new Map([['env', 'a file\n']]),
      author: alice,
      message: 'a file',
    });
    const changes = new Map([
      ['env', null],
      ['env/a.yaml', 'a: 1\n'],
    ]);
    expect(await s.buildTree(c1, changes)).toBe(await s['buildTreeWithGit'](c1, changes));
  });
});
