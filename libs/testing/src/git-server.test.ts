import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepo, runGit, type GitRepo } from './git-repo.js';
import { startGitServer, type GitServer } from './git-server.js';

describe('git server over smart HTTP', () => {
  let root: string;
  let server: GitServer;
  let repo: GitRepo;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sy-gs-'));
    server = await startGitServer({ projectRoot: root, auth: { username: 'u', password: 'p' } });
    repo = await createGitRepo({ projectRoot: root, name: 'flags' });
  });
  afterAll(async () => {
    await server.close();
    await repo.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  it('serves clones, accepts pushes, checks basic auth and injects faults', async () => {
    const authed = server.url.replace('http://', 'http://u:p@') + '/flags.git';
    const sha = await repo.commitFiles({ 'a.txt': 'one' }, 'first', authed);
    const ls = await runGit(root, ['ls-remote', '--', authed, 'refs/heads/main']);
    expect(ls.split('\t')[0]).toBe(sha);
    await expect(runGit(root, ['ls-remote', '--', `${server.url}/flags.git`])).rejects.toThrow();
    server.setFault({ kind: 'error', status: 500 });
    server.resetCount();
    await expect(runGit(root, ['ls-remote', '--', authed])).rejects.toThrow();
    expect(server.requestCount).toBeGreaterThan(0);
    server.setFault({ kind: 'none' });
    const sha2 = await repo.commitFiles({ 'a.txt': 'two' }, 'second', authed);
    expect(
      (await runGit(root, ['ls-remote', '--', authed, 'refs/heads/main'])).split('\t')[0],
    ).toBe(sha2);
  });
});
