/**
 * Git sync against real repositories served over smart HTTP by git http-backend (no git mocks):
 * pushes become visible, bad commits are not served, and the last good snapshot keeps answering.
 */
import { rm } from 'node:fs/promises';
import { createGitRepo, startGitServer, type GitRepo, type GitServer } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BROKEN_SYNTAX,
  featuresYaml,
  metricValue,
  served,
  startOne,
  tempDir,
  UNKNOWN_SEGMENT,
  waitFor,
  type StartedSync,
} from './sync-fixtures.js';

describe('git sync over smart HTTP', () => {
  let root: string;
  let server: GitServer;
  let repo: GitRepo;
  let dataDir: string;
  let started: StartedSync | undefined;
  const cleanups: string[] = [];

  beforeAll(async () => {
    root = await tempDir('sy-git-root-');
    server = await startGitServer({ projectRoot: root });
  });
  afterAll(async () => {
    await server.close();
    await Promise.all([root, ...cleanups].map((d) => rm(d, { recursive: true, force: true })));
  });
  beforeEach(async () => {
    server.setFault({ kind: 'none' });
    repo = await createGitRepo({ projectRoot: root });
    dataDir = await tempDir();
    cleanups.push(dataDir);
    await repo.commitFiles({ 'default/features.yaml': featuresYaml({ color: 'blue' }) }, 'initial');
  });
  afterEach(async () => {
    await started?.sync.stop();
    started = undefined;
    await repo.cleanup();
  });

  const source = (pollIntervalMs = 60_000) => ({
    type: 'git' as const,
    url: `${server.url}/${repo.name}.git`,
    branch: 'main',
    pollIntervalMs,
  });

  it('serves the branch head after startSync and a push after refresh()', async () => {
    started = await startOne('prod', source(), dataDir);
    const { registry, sync } = started;
    expect(served(registry, 'prod')).toEqual({ color: 'blue', banner: true });
    const sha = await repo.commitFiles(
      { 'default/features.yaml': featuresYaml({ color: 'green', enabled: false }) },
      'green',
    );
    await sync.refresh('prod');
    expect(registry.snapshot('prod')?.revision).toBe(sha);
    expect(served(registry, 'prod')).toEqual({ color: 'green', banner: false });
    expect(
      await metricValue(started.metrics, 'switchyard_snapshot_revision_info', {
        environment: 'prod',
        revision: sha,
      }),
    ).toBe(1);
  });

  it('a change notification is served by exactly one fetch, not a poll wait', async () => {
    // Poll far away: only the notification (what the instance agent does on environmentChanged)
    // can make the new commit served within the test.
    started = await startOne('prod', source(3_600_000), dataDir);
    const sha = await repo.commitFiles(
      { 'default/features.yaml': featuresYaml({ color: 'green' }) },
      'green',
    );
    server.resetCount();
    await started.sync.refresh('prod');
    expect(started.registry.snapshot('prod')?.revision).toBe(sha);
    // One fetch in protocol 2: capabilities, ls-refs of the branch, the pack (a poll wait or a
    // second fetch would add requests).
    expect(server.requestCount).toBe(3);
  });

  it('picks up a push by polling', async () => {
    started = await startOne('prod', source(150), dataDir);
    const sha = await repo.commitFiles(
      { 'default/features.yaml': featuresYaml({ color: 'teal' }) },
      'teal',
    );
    await waitFor(() => started?.registry.snapshot('prod')?.revision === sha, 5000);
    expect(served(started.registry, 'prod')?.color).toBe('teal');
  });

  it('does not serve invalid commits, names commit, file and line, then serves the next valid commit', async () => {
    started = await startOne('prod', source(), dataDir);
    const { registry, sync, metrics } = started;
    const good = registry.snapshot('prod')?.revision;
    const bad = await repo.commitFiles({ 'default/features.yaml': BROKEN_SYNTAX }, 'broken yaml');
    await sync.refresh('prod');
    await sync.refresh('prod'); // the same bad revision is not rebuilt
    expect(registry.snapshot('prod')?.revision).toBe(good);
    expect(served(registry, 'prod')?.color).toBe('blue');
    const err = registry.state('prod')?.lastError;
    expect(err).toMatchObject({ revision: bad, file: 'default/features.yaml', line: 8 });
    expect(err?.message).toContain(bad.slice(0, 12));
    expect(
      await metricValue(metrics, 'switchyard_sync_failures_total', {
        environment: 'prod',
        kind: 'build',
      }),
    ).toBe(1);

    const bad2 = await repo.commitFiles(
      { 'default/features.yaml': UNKNOWN_SEGMENT },
      'unknown segment',
    );
    await sync.refresh('prod');
    expect(registry.state('prod')?.lastError).toMatchObject({
      revision: bad2,
      file: 'default/features.yaml',
      line: 15,
    });
    expect(registry.state('prod')?.lastError?.message).toContain('unknown segment');
    expect(registry.snapshot('prod')?.revision).toBe(good);

    const fixed = await repo.commitFiles(
      { 'default/features.yaml': featuresYaml({ color: 'red' }) },
      'fixed',
    );
    await sync.refresh('prod');
    expect(registry.snapshot('prod')?.revision).toBe(fixed);
    expect(registry.state('prod')?.lastError).toBeUndefined();
    expect(served(registry, 'prod')?.color).toBe('red');
  });

  it('reads only the configured directory and ignores symlinks, submodules, .git and .. entries', async () => {
    await repo.write({
      'envs/prod/default/features.yaml': featuresYaml({ color: 'amber' }),
      'envs/prod/other/features.yaml': featuresYaml({ namespace: 'other' }),
    });
    await repo.symlink('envs/prod/linked/features.yaml', '/etc/passwd');
    await repo.commit('nested');
    // Craft a hostile tree the porcelain refuses to create: `..`, `.git` and a submodule entry.
    const blob = await repo.git(
      ['hash-object', '-w', '--stdin'],
      featuresYaml({ namespace: 'evil' }),
    );
    const evilSub = await repo.git(['mktree'], `100644 blob ${blob}\tfeatures.yaml\n`);
    const prodTree = await repo.git(['rev-parse', 'HEAD:envs/prod']);
    const listing = await repo.git(['ls-tree', prodTree]);
    const hostile = `${listing}\n040000 tree ${evilSub}\t..\n040000 tree ${evilSub}\t.git\n160000 commit ${'1'.repeat(40)}\tsubmodule\n`;
    const newProd = await repo.git(['mktree', '--missing'], hostile);
    const rootTree = await repo.git(['mktree', '--missing'], `040000 tree ${newProd}\tprod\n`);
    const top = await repo.git(['mktree'], `040000 tree ${rootTree}\tenvs\n`);
    const commit = await repo.git(['commit-tree', '-p', 'HEAD', '-m', 'hostile', top]);
    await repo.git(['push', '--quiet', '--force', '--', repo.bareDir, `${commit}:refs/heads/main`]);

    started = await startOne('prod', { ...source(), directory: 'envs/prod' }, dataDir);
    const state = started.registry.state('prod');
    expect(state?.lastError).toBeUndefined();
    expect(state?.snapshot?.revision).toBe(commit);
    expect([...(state?.files?.keys() ?? [])].sort()).toEqual([
      'default/features.yaml',
      'other/features.yaml',
    ]);
    expect([...(state?.snapshot?.namespaces.keys() ?? [])].sort()).toEqual(['default', 'other']);
    expect(served(started.registry, 'prod')?.color).toBe('amber');
  });

  it('reports a missing directory as a build error of that commit', async () => {
    started = await startOne('prod', { ...source(), directory: 'nope' }, dataDir);
    expect(started.registry.snapshot('prod')).toBeUndefined();
    expect(started.registry.state('prod')?.lastError?.message).toContain('does not exist');
  });
});
