/**
 * Faults of the git remote (F1, F2, F3, P3, P7): 500s, hangs, restarts while it is down, and bad
 * credentials. Evaluations run in a loop on the registry's snapshot while the fault is on.
 */
import { rm } from 'node:fs/promises';
import { evaluateBoolean, evaluateVariant } from '@switchyard/flags';
import { createGitRepo, startGitServer, type GitRepo, type GitServer } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { EnvironmentRegistry } from '../../src/state/environment-registry.js';
import { REMOTE_UNAVAILABLE_MESSAGE } from '@switchyard/git-store';
import {
  featuresYaml,
  metricValue,
  served,
  startOne,
  tempDir,
  waitFor,
  type StartedSync,
} from './sync-fixtures.js';

const GENERIC = `git fetch failed: ${REMOTE_UNAVAILABLE_MESSAGE}`;

/** Evaluates both flags as fast as possible until `until` resolves; returns [evaluations, failures]. */
async function evaluateDuring(
  registry: EnvironmentRegistry,
  until: Promise<unknown>,
): Promise<[number, number]> {
  let done = false;
  void until.finally(() => (done = true));
  let count = 0;
  let failed = 0;
  while (!done) {
    for (let i = 0; i < 200; i++) {
      count += 1;
      try {
        const snap = registry.snapshot('prod');
        if (!snap) failed += 1;
        else if (
          evaluateVariant(snap, { flagKey: 'color', entityId: `e${i}` }).variantKey === '' ||
          !evaluateBoolean(snap, { flagKey: 'banner', entityId: 'x' }).enabled
        )
          failed += 1;
      } catch {
        failed += 1;
      }
    }
    await new Promise((r) => setImmediate(r));
  }
  return [count, failed];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('git remote faults', () => {
  let root: string;
  let server: GitServer;
  let repo: GitRepo;
  let dataDir: string;
  const running: StartedSync[] = [];

  beforeAll(async () => {
    root = await tempDir('sy-git-root-');
    server = await startGitServer({ projectRoot: root });
  });
  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    server.setFault({ kind: 'none' });
    repo = await createGitRepo({ projectRoot: root });
    dataDir = await tempDir();
    await repo.commitFiles({ 'default/features.yaml': featuresYaml({ color: 'blue' }) }, 'initial');
  });
  afterEach(async () => {
    server.setFault({ kind: 'none' });
    await Promise.all(running.splice(0).map((s) => s.sync.stop()));
    await repo.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  const source = (pollIntervalMs: number) => ({
    type: 'git' as const,
    url: `${server.url}/${repo.name}.git`,
    branch: 'main',
    pollIntervalMs,
  });
  const start = async (...args: Parameters<typeof startOne>) => {
    const s = await startOne(...args);
    running.push(s);
    return s;
  };

  it('F1: 500s for a while fail zero evaluations, fetches stay capped, and the next commit is picked up after recovery', async () => {
    const { registry, metrics } = await start('prod', source(200), dataDir);
    server.resetCount();
    server.setFault({ kind: 'error', status: 500 });
    const [count, failed] = await evaluateDuring(registry, sleep(2000));
    const requests = server.requestCount;
    server.setFault({ kind: 'none' });
    expect(failed).toBe(0);
    expect(count).toBeGreaterThan(10_000);
    // 2 s at a 200 ms poll: at most ~10 fetches even without backoff; backoff keeps it well under.
    expect(requests).toBeLessThanOrEqual(10);
    expect(
      await metricValue(metrics, 'switchyard_sync_failures_total', {
        environment: 'prod',
        kind: 'fetch',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(registry.state('prod')?.lastError?.message).toBe(GENERIC); // the 500 itself is for the operator log only
    const sha = await repo.commitFiles(
      { 'default/features.yaml': featuresYaml({ color: 'green' }) },
      'after outage',
    );
    await waitFor(() => registry.snapshot('prod')?.revision === sha, 8000);
    expect(registry.state('prod')?.lastError).toBeUndefined();
    console.log(
      `F1: ${count} evaluations, ${failed} failed, ${requests} requests to the remote in 2 s of 500s`,
    );
  }, 15_000);

  it('F2: a hanging remote is cut at the deadline, with at most one fetch in flight, and evaluations keep answering', async () => {
    const { registry, sync } = await start('prod', source(100), dataDir, { fetchTimeoutMs: 400 });
    // On a loaded machine the first fetch can itself outlast 400 ms; the 100 ms poll retries it.
    await waitFor(() => registry.snapshot('prod') !== undefined, 10_000);
    server.setFault({ kind: 'hang' });
    server.resetCount();
    const t0 = Date.now();
    const refreshes = Promise.all([
      sync.refresh('prod'),
      sync.refresh('prod'),
      sync.refresh('prod'),
    ]);
    const [, failed] = await evaluateDuring(registry, refreshes);
    const elapsed = Date.now() - t0;
    expect(failed).toBe(0);
    // Three concurrent refreshes coalesce into the attempt in flight plus one follow-up.
    expect(server.requestCount).toBeLessThanOrEqual(2);
    expect(elapsed).toBeLessThan(2500);
    expect(registry.state('prod')?.lastError?.message).toBe(GENERIC); // a hang looks like any other failure
    server.setFault({ kind: 'none' });
    const sha = await repo.commitFiles(
      { 'default/features.yaml': featuresYaml({ color: 'red' }) },
      'after hang',
    );
    await sync.refresh('prod');
    expect(registry.snapshot('prod')?.revision).toBe(sha);
    console.log(
      `F2: 3 concurrent refreshes against a hanging remote returned in ${elapsed} ms (deadline 400 ms)`,
    );
  }, 15_000);

  it('F3: a restart while the remote is down serves the persisted snapshot', async () => {
    const first = await start('prod', source(60_000), dataDir);
    const sha = first.registry.snapshot('prod')?.revision;
    await first.sync.stop();
    server.setFault({ kind: 'hang' });
    const t0 = Date.now();
    const second = await start('prod', source(60_000), dataDir, { fetchTimeoutMs: 5000 });
    const readyMs = Date.now() - t0;
    expect(second.registry.ready()).toBe(true);
    expect(second.registry.snapshot('prod')?.revision).toBe(sha);
    expect(served(second.registry, 'prod')).toEqual({ color: 'blue', banner: true });
    expect(readyMs).toBeLessThan(1000);
    console.log(`F3: ready from the persisted snapshot in ${readyMs} ms while the remote hangs`);
  });

  it('P3: nothing persisted and the remote down: startSync resolves, the environment is not ready', async () => {
    server.setFault({ kind: 'error', status: 503 });
    const { registry } = await start('prod', source(60_000), dataDir);
    expect(registry.ready()).toBe(false);
    expect(registry.snapshot('prod')).toBeUndefined();
    expect(registry.state('prod')?.lastError?.message).toBe(GENERIC);
  });
});

describe('git credentials', () => {
  let root: string;
  let server: GitServer;
  let repo: GitRepo;
  let dataDir: string;
  const lines: string[] = [];
  const logger = createLogger('debug', (line) => lines.push(line));

  beforeAll(async () => {
    root = await tempDir('sy-git-auth-');
    server = await startGitServer({
      projectRoot: root,
      auth: { username: 'reader', password: 's3cret-token' },
    });
    repo = await createGitRepo({ projectRoot: root });
    await repo.commitFiles({ 'default/features.yaml': featuresYaml() }, 'initial');
    dataDir = await tempDir();
  });
  afterAll(async () => {
    await server.close();
    await repo.cleanup();
    await Promise.all([root, dataDir].map((d) => rm(d, { recursive: true, force: true })));
  });

  it('fetches with credentials sent as a header, never in logs or errors', async () => {
    const url = `${server.url}/${repo.name}.git`;
    const ok = await startOne(
      'prod',
      {
        type: 'git',
        url,
        branch: 'main',
        pollIntervalMs: 60_000,
        credentials: { username: 'reader', password: 's3cret-token' },
      },
      dataDir,
      { logger },
    );
    expect(served(ok.registry, 'prod')?.color).toBe('blue');
    await ok.sync.stop();
  });

  it('P7: wrong credentials fail closed and are not retried in a tight loop', async () => {
    const url = `${server.url}/${repo.name}.git`;
    server.resetCount();
    const bad = await startOne(
      'prod',
      {
        type: 'git',
        url,
        branch: 'main',
        pollIntervalMs: 50,
        credentials: { username: 'reader', password: 'wrong-password' },
      },
      await tempDir(),
      { logger },
    );
    await sleep(1000);
    await bad.sync.stop();
    expect(bad.registry.ready()).toBe(false);
    // Members see the one generic message (a 401 would prove an HTTP server on that port); the log has the cause.
    expect(bad.registry.state('prod')?.lastError?.message).toBe(GENERIC);
    expect(lines.join('')).toMatch(/askpass|Authentication failed|could not read Username|40[13]/);
    expect(server.requestCount).toBeLessThanOrEqual(3); // one attempt, then the longest backoff
    const all = lines.join('') + JSON.stringify(bad.registry.state('prod'));
    expect(all).not.toContain('wrong-password');
    expect(all).not.toContain('s3cret-token');
    expect(all).not.toContain(Buffer.from('reader:wrong-password').toString('base64'));
  });
});
