/**
 * B11 at connect time: the git host is resolved by us, private answers are refused, and the
 * checked addresses are pinned for git's curl (`http.curloptResolve`), so a name cannot be
 * re-resolved (DNS rebinding) to somewhere else between our check and git's connection.
 */
import { rm } from 'node:fs/promises';
import { createGitRepo, startGitServer, type GitRepo, type GitServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitSource } from '../../src/sync/git-source.js';
import { featuresYaml, tempDir } from './sync-fixtures.js';

describe('git host pinning', () => {
  let root: string;
  let dataDir: string;
  let server: GitServer;
  let repo: GitRepo;
  let sha: string;

  beforeAll(async () => {
    root = await tempDir('sy-git-root-');
    dataDir = await tempDir();
    server = await startGitServer({ projectRoot: root });
    repo = await createGitRepo({ projectRoot: root });
    sha = await repo.commitFiles({ 'default/features.yaml': featuresYaml() }, 'initial');
  });
  afterAll(async () => {
    await server.close();
    await repo.cleanup();
    await Promise.all([root, dataDir].map((d) => rm(d, { recursive: true, force: true })));
  });

  const urlFor = (host: string) => `http://${host}:${new URL(server.url).port}/${repo.name}.git`;

  it('git connects to the address we resolved and checked (a name that does not exist in DNS)', async () => {
    const resolved: string[] = [];
    const source = createGitSource({
      envKey: 'prod',
      dataDir,
      source: {
        type: 'git',
        url: urlFor('flags.switchyard.test'),
        branch: 'main',
        pollIntervalMs: 1000,
      },
      // The exact origin is allow-listed (it is on loopback); the name exists only in our resolver.
      allowedOrigins: [`http://flags.switchyard.test:${new URL(server.url).port}`],
      resolveHost: (host) => (resolved.push(host), Promise.resolve(['127.0.0.1'])),
    });
    expect(await source.fetchHead(new AbortController().signal)).toBe(sha);
    expect(resolved).toEqual(['flags.switchyard.test']);
  });

  it('refuses a public-looking name that resolves to a private address, before any request', async () => {
    server.resetCount();
    for (const address of ['127.0.0.1', '10.0.0.7', '169.254.169.254', '::1', '::ffff:127.0.0.1']) {
      const source = createGitSource({
        envKey: 'prod',
        dataDir,
        source: {
          type: 'git',
          url: urlFor('flags.example.com'),
          branch: 'main',
          pollIntervalMs: 1000,
        },
        allowLocal: false,
        allowedOrigins: [],
        resolveHost: () => Promise.resolve(['93.184.216.34', address]),
      });
      await expect(source.fetchHead(new AbortController().signal)).rejects.toThrow(/not allowed/);
    }
    expect(server.requestCount).toBe(0);
  });
});
