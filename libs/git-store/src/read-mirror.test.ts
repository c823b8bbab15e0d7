import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TREE_LIMITS } from '@switchyard/flags';
import { createGitRepo, startGitServer, type GitRepo, type GitServer } from '@switchyard/testing';
import { GitExecError } from './git-exec.js';
import { isSafeRelativePath } from './path-rules.js';
import { ReadMirror, TreeBudget, TreeRejectedError } from './read-mirror.js';

describe('what a mirror reads', () => {
  it('keeps safe relative paths only: no traversal, .git, backslashes, absolute paths or leading "-"', () => {
    const paths = [
      'default/features.yaml',
      'tools/run.sh',
      '../escape/features.yaml',
      '.git/hooks/post-checkout',
      'a/.GIT/config',
      'win\\features.yaml',
      '/abs/features.yaml',
      '-n/features.yaml',
      '--upload-pack=x',
    ];
    expect(paths.filter(isSafeRelativePath)).toEqual(['default/features.yaml', 'tools/run.sh']);
  });

  it('refuses oversized files, too many files and too many bytes as they are counted', () => {
    const limits = { maxFileBytes: 100, maxTotalBytes: 250, maxFiles: 3 };
    expect(() => new TreeBudget(limits).add('big.yaml', 101)).toThrow(TreeRejectedError);
    const many = new TreeBudget(limits);
    expect(() => [1, 2, 3, 4].forEach((i) => many.add(`f${i}`, 1))).toThrow(/more than 3 files/);
    const heavy = new TreeBudget(limits);
    expect(() => [1, 2, 3].forEach((i) => heavy.add(`f${i}`, 90))).toThrow(/exceed 250 bytes/);
  });

  it('never accepts a path that could leave the root (property)', () => {
    const segment = fc.constantFrom(
      'a',
      'b.yaml',
      '..',
      '.',
      '.git',
      '.Git',
      'x\\y',
      '',
      ' ',
      'features.yaml',
      '-n',
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(segment, { minLength: 1, maxLength: 4 }), { maxLength: 20 }),
        (paths) => {
          for (const path of paths.map((p) => p.join('/')).filter(isSafeRelativePath)) {
            const parts = path.split('/');
            expect(path.startsWith('/') || path.startsWith('-') || path.includes('\\')).toBe(false);
            expect(
              parts.some((p) => p === '' || p === '.' || p === '..' || p.toLowerCase() === '.git'),
            ).toBe(false);
          }
        },
      ),
      { numRuns: 1000, seed: 3 },
    );
  });
});

describe('ReadMirror over smart HTTP', () => {
  let root: string;
  let server: GitServer;
  let repo: GitRepo;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sy-read-mirror-'));
    server = await startGitServer({ projectRoot: root });
    repo = await createGitRepo({ projectRoot: root, name: 'flags' });
    await repo.commitFiles({ 'env/a.yaml': 'a: 1\n', 'other/b.yaml': 'b: 1\n' }, 'initial');
  });
  afterAll(async () => {
    await server.close();
    await repo.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  const mirror = (limits = DEFAULT_TREE_LIMITS) =>
    ReadMirror.create({
      dir: join(root, `mirror-${Math.random().toString(36).slice(2)}`),
      source: { url: `${server.url}/flags.git`, branch: 'main', directory: 'env' },
      policy: { allowedOrigins: [new URL(server.url).origin], allowHttp: true },
      limits,
    });

  it('fetches a changed branch in three requests (protocol 2), two with protocol 0, and reads only the directory', async () => {
    const m = mirror();
    const sha = await repo.commitFiles({ 'env/a.yaml': 'a: 2\n' }, 'two');
    server.resetCount();
    expect(await m.fetch(new AbortController().signal)).toBe(sha);
    // Capabilities, ls-refs of the one branch, fetch.
    expect(server.requestCount).toBe(3);
    server.resetCount();
    expect(await m.fetch(new AbortController().signal)).toBe(sha);
    expect(server.requestCount, 'an unchanged branch is not fetched').toBe(2);
    const v0 = ReadMirror.create({
      dir: join(root, `mirror-v0-${Math.random().toString(36).slice(2)}`),
      source: { url: `${server.url}/flags.git`, branch: 'main', directory: 'env' },
      policy: { allowedOrigins: [new URL(server.url).origin], allowHttp: true },
      limits: DEFAULT_TREE_LIMITS,
      protocolVersion: 0,
    });
    server.resetCount();
    expect(await v0.fetch(new AbortController().signal)).toBe(sha);
    expect(server.requestCount).toBe(2);
    const files = await m.readTree(sha, new AbortController().signal);
    expect([...files.keys()]).toEqual(['a.yaml']);
    expect(Buffer.from(files.get('a.yaml') ?? []).toString()).toBe('a: 2\n');
    expect(await m.treeId(sha, new AbortController().signal)).toMatch(/^[0-9a-f]{40}$/u);
  });

  it('rejects a tree over the limits from its listing, and a missing directory', async () => {
    const m = mirror({ maxFiles: 10, maxFileBytes: 3, maxTotalBytes: 100 });
    const sha = await m.fetch(new AbortController().signal);
    await expect(m.readTree(sha, new AbortController().signal)).rejects.toThrow(TreeRejectedError);
    const gone = await repo.commitFiles({ 'env/a.yaml': null }, 'remove env');
    const m2 = mirror();
    await m2.fetch(new AbortController().signal);
    expect(await m2.treeId(gone, new AbortController().signal)).toBeNull();
    await expect(m2.readTree(gone, new AbortController().signal)).rejects.toThrow(
      /directory "env" does not exist/,
    );
    // A commit that was never fetched is a git failure (sync retries), not a bad tree.
    await expect(m2.readTree('b'.repeat(40), new AbortController().signal)).rejects.toThrow(
      GitExecError,
    );
  });

  it('stops a fetch when the caller aborts', async () => {
    const m = mirror();
    server.setFault({ kind: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const failure = await m.fetch(controller.signal).catch((e: unknown) => e);
    server.setFault({ kind: 'none' });
    expect(failure).toBeInstanceOf(GitExecError);
    expect((failure as GitExecError).aborted).toBe(true);
  });
});
