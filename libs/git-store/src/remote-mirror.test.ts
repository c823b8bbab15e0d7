import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSwitchyardError } from '@switchyard/flags';
import { createGitRepo, startGitServer, type GitRepo, type GitServer } from '@switchyard/testing';
import { normalizeOrigin } from './address-policy.js';
import { GitStore } from './git-store.js';
import { fetchBranch, pushBranch, type RemoteAccess } from './remote-mirror.js';

let root: string;
let server: GitServer;
let repo: GitRepo;
let remote: RemoteAccess;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'remote-'));
  server = await startGitServer({
    projectRoot: root,
    auth: { username: 'bot', password: 'token-1' },
  });
  repo = await createGitRepo({ projectRoot: root, name: 'ext' });
  await repo.commitFiles(
    { 'default/features.yaml': 'version: "1.4"\nnamespace:\n  key: default\n' },
    'init',
  );
  remote = {
    url: `${server.url}/ext.git`,
    username: 'bot',
    secret: 'token-1',
    policy: { allowedOrigins: [normalizeOrigin(server.url)], allowHttp: true },
  };
});
afterAll(async () => {
  await server.close();
  await repo.cleanup();
  await rm(root, { recursive: true, force: true });
});

describe('external remote over smart HTTP', () => {
  it('fetches, pushes without force, and reports a concurrent external push as a Conflict', async () => {
    const store = await GitStore.open(join(root, 'mirror.git'));
    const head = await fetchBranch(store, remote, 'main');
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    const author = { name: 'Alice', email: 'alice@example.com' };
    const c = await store.commit({
      branch: 'main',
      base: head,
      changes: new Map([
        ['default/features.yaml', 'version: "1.4"\nnamespace:\n  key: default\nflags: []\n'],
      ]),
      author,
      message: 'edit',
    });
    await pushBranch(store, remote, 'main', c);
    expect(await fetchBranch(store, remote, 'main')).toBe(c);
    // Someone pushes directly to the remote; our next push on the old head must be refused.
    const store2 = await GitStore.open(join(root, 'mirror2.git'));
    const h2 = await fetchBranch(store2, remote, 'main');
    const theirs = await store2.commit({
      branch: 'main',
      base: h2,
      changes: new Map([['x.yaml', 'x']]),
      author,
      message: 'theirs',
    });
    await pushBranch(store2, remote, 'main', theirs);
    const ours = await store.commit({
      branch: 'main',
      base: c,
      changes: new Map([['y.yaml', 'y']]),
      author,
      message: 'ours',
    });
    const err = await pushBranch(store, remote, 'main', ours).catch((e: unknown) => e);
    expect(isSwitchyardError(err, 'Conflict'), String(err)).toBe(true);
    expect(await fetchBranch(store, remote, 'main')).toBe(theirs);
  });

  it('wrong credentials are Unavailable and never echo the secret', async () => {
    const store = await GitStore.open(join(root, 'mirror3.git'));
    const err = await fetchBranch(store, { ...remote, secret: 'wrong-secret' }, 'main').catch(
      (e: unknown) => e,
    );
    expect(isSwitchyardError(err, 'Unavailable')).toBe(true);
    expect(String((err as Error).message)).not.toContain('wrong-secret');
  });
});
