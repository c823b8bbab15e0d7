/**
 * startSync with several environments, hostile configuration, and the metrics it exports.
 */
import { access, rm } from 'node:fs/promises';
import { createGitRepo, startGitServer, type GitRepo, type GitServer } from '@switchyard/testing';
import { MetricRegistry } from '../../src/metrics/metric-registry.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentRegistry } from '../../src/state/environment-registry.js';
import { startSync } from '../../src/sync/index.js';
import { featuresYaml, metricValue, served, silentLogger, tempDir } from './sync-fixtures.js';

describe('startSync', () => {
  let root: string;
  let dataDir: string;
  let server: GitServer;
  let repo: GitRepo;

  beforeAll(async () => {
    root = await tempDir('sy-git-root-');
    dataDir = await tempDir();
    server = await startGitServer({ projectRoot: root });
    repo = await createGitRepo({ projectRoot: root });
    await repo.commitFiles(
      {
        'prod/default/features.yaml': featuresYaml({ color: 'blue' }),
        'staging/default/features.yaml': featuresYaml({ color: 'pink' }),
      },
      'two envs',
    );
  });
  afterAll(async () => {
    await server.close();
    await repo.cleanup();
    await Promise.all([root, dataDir].map((d) => rm(d, { recursive: true, force: true })));
  });

  it('serves several environments from directories of one repository, with metrics', async () => {
    const url = `${server.url}/${repo.name}.git`;
    const registry = new EnvironmentRegistry(['prod', 'staging']);
    const metrics = new MetricRegistry({ defaultMetrics: false });
    const sync = await startSync({
      allowedOrigins: [new URL(server.url).origin],
      environments: [
        {
          key: 'prod',
          source: { type: 'git', url, branch: 'main', directory: 'prod', pollIntervalMs: 60_000 },
        },
        {
          key: 'staging',
          source: {
            type: 'git',
            url,
            branch: 'main',
            directory: 'staging',
            pollIntervalMs: 60_000,
          },
        },
      ],
      registry,
      dataDir,
      logger: silentLogger,
      metrics,
    });
    try {
      expect(registry.ready()).toBe(true);
      expect(served(registry, 'prod')?.color).toBe('blue');
      expect(served(registry, 'staging')?.color).toBe('pink');
      const prodRevision = registry.snapshot('prod')?.revision;
      const before = Date.now() / 1000;
      await repo.commitFiles(
        { 'staging/default/features.yaml': featuresYaml({ color: 'lime' }) },
        'staging only',
      );
      await sync.refresh(); // every environment
      expect(served(registry, 'staging')?.color).toBe('lime');
      expect(served(registry, 'prod')?.color).toBe('blue');
      // prod's directory did not change: no rebuild, same revision, clients see no change.
      expect(registry.snapshot('prod')?.revision).toBe(prodRevision);
      expect(registry.state('prod')?.lastError).toBeUndefined();
      expect(
        await metricValue(metrics, 'switchyard_sync_last_success_timestamp_seconds', {
          environment: 'prod',
        }),
      ).toBeGreaterThanOrEqual(Math.floor(before));
      const text = await metrics.metrics();
      expect(text).toContain('switchyard_snapshot_build_seconds_count 3');
      // One revision series per environment: the old one was removed on change.
      expect(text.match(/switchyard_snapshot_revision_info\{environment="staging"/g)).toHaveLength(
        1,
      );
      await sync.refresh('unknown-env'); // resolves, does nothing
    } finally {
      await sync.stop();
    }
  });

  it.each([
    ['ext::sh -c touch% /tmp/sy-pwned-ext', 'url'],
    ['--upload-pack=touch /tmp/sy-pwned-up', 'url'],
    ['-u x', 'url'],
  ])('rejects the hostile URL %j before git ever runs', async (url) => {
    const registry = new EnvironmentRegistry(['prod']);
    const run = startSync({
      environments: [
        { key: 'prod', source: { type: 'git', url, branch: 'main', pollIntervalMs: 1000 } },
      ],
      registry,
      dataDir: await tempDir(),
      logger: silentLogger,
      metrics: new MetricRegistry({ defaultMetrics: false }),
    });
    await expect(run).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(access('/tmp/sy-pwned-ext')).rejects.toThrow();
    await expect(access('/tmp/sy-pwned-up')).rejects.toThrow();
  });

  it('rejects a hostile branch or directory', async () => {
    const url = `${server.url}/${repo.name}.git`;
    for (const source of [
      { type: 'git' as const, url, branch: '--upload-pack=x', pollIntervalMs: 1000 },
      { type: 'git' as const, url, branch: 'main', directory: '../../etc', pollIntervalMs: 1000 },
    ]) {
      const run = startSync({
        environments: [{ key: 'prod', source }],
        registry: new EnvironmentRegistry(['prod']),
        dataDir,
        logger: silentLogger,
        metrics: new MetricRegistry({ defaultMetrics: false }),
      });
      await expect(run).rejects.toMatchObject({ code: 'InvalidArgument' });
    }
  });

  it('B4: rejects a commit with an oversized file before reading it, and keeps serving', async () => {
    const url = `${server.url}/${repo.name}.git`;
    const registry = new EnvironmentRegistry(['prod']);
    const sync = await startSync({
      allowedOrigins: [new URL(server.url).origin],
      environments: [
        {
          key: 'prod',
          source: { type: 'git', url, branch: 'main', directory: 'prod', pollIntervalMs: 60_000 },
        },
      ],
      registry,
      dataDir: await tempDir(),
      logger: silentLogger,
      metrics: new MetricRegistry({ defaultMetrics: false }),
      limits: { maxFileBytes: 64 * 1024, maxTotalBytes: 1024 * 1024, maxFiles: 1000 },
    });
    try {
      const big = await repo.commitFiles(
        { 'prod/default/huge.features.yaml': 'a: b\n'.repeat(40_000) },
        'huge',
      );
      await sync.refresh('prod');
      expect(registry.state('prod')?.lastError).toMatchObject({
        revision: big,
        file: 'default/huge.features.yaml',
      });
      expect(served(registry, 'prod')?.color).toBe('blue');
    } finally {
      await sync.stop();
      await repo.commitFiles({ 'prod/default/huge.features.yaml': null }, 'remove huge');
    }
  });
});
