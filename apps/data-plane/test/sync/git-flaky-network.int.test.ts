/**
 * F7: a flaky network between the data plane and git (30 % connection resets plus latency with jitter)
 * through libs/testing's fault proxy. Nothing crashes, every served snapshot is exactly one pushed
 * commit's content, and after healing the head is served within a few poll intervals.
 */
import { rm } from 'node:fs/promises';
import {
  createGitRepo,
  startFaultProxy,
  startGitServer,
  type FaultProxy,
  type GitRepo,
  type GitServer,
} from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  featuresYaml,
  served,
  startOne,
  tempDir,
  waitFor,
  type StartedSync,
} from './sync-fixtures.js';

describe('F7: resets and jittery latency between data plane and git', () => {
  let root: string;
  let dataDir: string;
  let server: GitServer;
  let proxy: FaultProxy;
  let repo: GitRepo;
  let started: StartedSync;

  beforeAll(async () => {
    root = await tempDir('sy-git-root-');
    dataDir = await tempDir();
    server = await startGitServer({ projectRoot: root });
    proxy = await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(server.url).port) });
    repo = await createGitRepo({ projectRoot: root });
  });
  afterAll(async () => {
    await started.sync.stop();
    await proxy.close();
    await server.close();
    await repo.cleanup();
    await Promise.all([root, dataDir].map((d) => rm(d, { recursive: true, force: true })));
  });

  it('serves only whole commits while 30 % of connections reset, then converges', async () => {
    const colorOf = new Map<string, string>();
    colorOf.set(
      await repo.commitFiles({ 'default/features.yaml': featuresYaml({ color: 'c0' }) }, 'c0'),
      'c0',
    );
    const url = `http://${proxy.address}/${repo.name}.git`;
    started = await startOne(
      'prod',
      { type: 'git', url, branch: 'main', pollIntervalMs: 100 },
      dataDir,
      { fetchTimeoutMs: 2000 },
    );
    const { registry } = started;
    proxy.setFaults({ resetRate: 0.3, latencyMs: 20, jitterMs: 60 });
    let mismatches = 0;
    let checks = 0;
    const check = () => {
      const snap = registry.snapshot('prod');
      const color = served(registry, 'prod')?.color;
      checks += 1;
      if (!snap || colorOf.get(snap.revision) !== color) mismatches += 1;
    };
    const timer = setInterval(check, 5);
    for (let i = 1; i <= 12; i++) {
      colorOf.set(
        await repo.commitFiles(
          { 'default/features.yaml': featuresYaml({ color: `c${i}` }) },
          `c${i}`,
        ),
        `c${i}`,
      );
      await new Promise((r) => setTimeout(r, 250));
    }
    proxy.setFaults({ resetRate: 0, latencyMs: 0, jitterMs: 0 });
    const healedAt = Date.now();
    const head = await repo.git(['rev-parse', 'HEAD']);
    // Backoff after failures is capped, so convergence is bounded by a few intervals (+ jitter).
    await waitFor(() => registry.snapshot('prod')?.revision === head, 5000);
    clearInterval(timer);
    check();
    expect(mismatches).toBe(0);
    expect(proxy.resets).toBeGreaterThan(0);
    expect(served(registry, 'prod')?.color).toBe('c12');
    console.log(
      `F7: ${proxy.connections} connections, ${proxy.resets} reset; ${checks} checks, ${mismatches} mismatches; converged ${Date.now() - healedAt} ms after healing`,
    );
  }, 30_000);
});
