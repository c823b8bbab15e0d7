/**
 * The status API through real processes: an organisation's instance (a child process of the
 * switchyard binary) syncs an environment from a git repository served over smart HTTP; the
 * control plane reports the revision served with its author, time and message; a bad commit is
 * reported failing with that commit, the file and the line (the same ones libs/flags gives),
 * while the last good revision keeps being served; a good commit clears it. The instance status
 * shows degraded while failing, ready after, and counts a restart of the process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironment } from '@switchyard/flags';
import { ChangeEvents } from '../../src/events/change-events.js';
import { listStates } from '../../src/provisioning/drivers/local-process.js';
import { UNKNOWN_SEGMENT_FLAGS_YAML } from '@switchyard/testing';
import { flagsYaml, startCloud, until, type Cloud } from './cloud.js';

let cloud: Cloud;
const repos: Array<{ cleanup(): Promise<void> }> = [];
beforeAll(async () => {
  cloud = await startCloud({ edge: false });
}, 120_000);
afterAll(async () => {
  for (const r of repos) await r.cleanup();
  await cloud?.close();
});

interface Commit {
  sha: string;
  author: { name: string; email: string } | null;
  time: string | null;
  message: string | null;
}
interface Status {
  sync: string;
  revision: Commit | null;
  head: string | null;
  lastSyncAt: string | null;
  error: {
    message: string;
    commit: Commit | null;
    file: string | null;
    line: number | null;
  } | null;
}

describe('environment and instance status', () => {
  it('reports the revision served, a bad commit with commit/file/line while the last good one serves, and the recovery', async () => {
    const org = await cloud.createOrg('status-org');
    const inst = await cloud.waitInstance(org.id);
    const viewer = await cloud.t.user('viewer-status@example.com');
    await cloud.t.db.membership.create({
      data: { orgId: org.id, userId: viewer.id, role: 'VIEWER' },
    });

    const repo = await cloud.repo('status-flags');
    repos.push(repo);
    const good = await repo.commitFiles(
      { 'default/features.yaml': flagsYaml(false) },
      'initial flags',
    );
    // Arranged directly: the public API accepts only https:// remotes; the test server is http.
    const gitRepo = await cloud.t.db.gitRepository.create({
      data: { orgId: org.id, name: 'flags', url: `${cloud.git.url}/status-flags.git` },
    });
    const created = await cloud.t.call(org.owner, {
      method: 'POST',
      url: `/api/v1/orgs/${org.slug}/environments`,
      body: { key: 'production', name: 'Production', repositoryId: gitRepo.id },
    });
    expect(created.status).toBe(201);
    // Nothing reported for it yet.
    expect((created.json.status as Status).sync).toBe('never_synced');
    expect((created.json.status as Status).revision).toBeNull();

    const status = async (caller = org.owner): Promise<Status> => {
      const res = await cloud.t.call(caller, {
        method: 'GET',
        url: `/api/v1/orgs/${org.slug}/environments/production`,
      });
      expect(res.status).toBe(200);
      return res.json.status as Status;
    };
    const instance = async (caller = org.owner) => {
      const res = await cloud.t.call(caller, {
        method: 'GET',
        url: `/api/v1/orgs/${org.slug}/instance`,
      });
      expect(res.status).toBe(200);
      return res.json as {
        status: string;
        stale: boolean;
        reportedAt: string | null;
        startedAt: string | null;
        restarts: number | null;
        environments: { total: number; serving: number; failing: number };
        admin: Record<string, unknown> | null;
      };
    };

    // Served, and the commit's details come from the mirror (fetched in the background on first need).
    const synced = await until(
      'good revision served with its commit details',
      async () => {
        const s = await status();
        return s.sync === 'in_sync' && s.revision?.sha === good && s.revision.author !== null
          ? s
          : undefined;
      },
      30_000,
      200,
    );
    expect(synced.revision).toMatchObject({
      sha: good,
      message: 'initial flags',
      author: { name: expect.any(String) },
    });
    expect(Date.parse(synced.revision!.time!)).toBeGreaterThan(Date.now() - 600_000);
    expect(synced.error).toBeNull();
    expect(synced.lastSyncAt).not.toBeNull();
    // The list carries the same block.
    const listed = await cloud.t.call(viewer.pat, {
      method: 'GET',
      url: `/api/v1/orgs/${org.slug}/environments`,
    });
    expect(listed.json.items[0].status).toMatchObject({ sync: 'in_sync', revision: { sha: good } });

    const ok = await instance();
    expect(ok).toMatchObject({
      status: 'ready',
      stale: false,
      restarts: 0,
      environments: { total: 1, serving: 1, failing: 0 },
    });
    expect(ok.startedAt).not.toBeNull();
    expect(ok.admin).toMatchObject({ endpoint: inst.endpoint, lastError: null });
    // Viewers read the status, not the operator details.
    const seenByViewer = await instance(viewer.pat);
    expect(seenByViewer.status).toBe('ready');
    expect(seenByViewer.admin).toBeNull();

    // A bad commit: reported with commit, file and line; the last good revision keeps serving.
    const bad = await repo.commitFiles(
      { 'default/features.yaml': UNKNOWN_SEGMENT_FLAGS_YAML },
      'rollout on a missing segment',
    );
    cloud.t.app.get(ChangeEvents).environmentChanged({
      orgId: org.id,
      orgSlug: org.slug,
      envKey: 'production',
      revision: bad,
    });
    const expected = loadEnvironment(
      new Map([['default/features.yaml', UNKNOWN_SEGMENT_FLAGS_YAML]]),
    );
    expect(expected.ok).toBe(false);
    const firstError = !expected.ok
      ? expected.errors.find((d) => d.severity === 'error')!
      : undefined;
    expect(firstError?.line).toBeGreaterThan(0);
    const failing = await until(
      'bad commit reported with its details',
      async () => {
        const s = await status(viewer.pat);
        return s.sync === 'failing' && s.error?.commit?.message ? s : undefined;
      },
      30_000,
      200,
    );
    expect(failing.revision?.sha).toBe(good);
    expect(failing.error).toMatchObject({
      commit: { sha: bad, message: 'rollout on a missing segment' },
      file: 'default/features.yaml',
      line: firstError!.line,
      // Only the structured report carries the column (the text form has file and line only).
      column: firstError!.column,
    });
    expect(failing.error!.message).toContain(bad.slice(0, 12));
    const degraded = await instance(viewer.pat);
    expect(degraded).toMatchObject({
      status: 'degraded',
      environments: { failing: 1, serving: 1 },
    });
    // The instance itself still serves the good revision (what the status says it serves).
    const ready = await fetch(`${inst.endpoint!}/ready`);
    const readyBody = (await ready.json()) as {
      environments: Array<{ key: string; revision: string | null }>;
    };
    expect(readyBody.environments.find((e) => e.key === 'production')?.revision).toBe(good);

    // A good commit clears it.
    const fixed = await repo.commitFiles(
      { 'default/features.yaml': flagsYaml(true) },
      'fix the rollout',
    );
    cloud.t.app.get(ChangeEvents).environmentChanged({
      orgId: org.id,
      orgSlug: org.slug,
      envKey: 'production',
      revision: fixed,
    });
    const recovered = await until(
      'fixed revision served',
      async () => {
        const s = await status();
        return s.sync === 'in_sync' && s.revision?.sha === fixed ? s : undefined;
      },
      30_000,
      200,
    );
    expect(recovered.error).toBeNull();
    await until(
      'instance ready again',
      async () => (await instance()).status === 'ready',
      10_000,
      100,
    );

    // The status read is local: no clone or fetch on the request path.
    const started = Date.now();
    for (let i = 0; i < 5; i++) await status();
    const perRead = (Date.now() - started) / 5;
    process.stderr.write(
      `environment status: ${perRead.toFixed(1)} ms per GET environment (cached commit details)\n`,
    );
    // A clone or fetch on the request path would take seconds; a loaded machine reads in ~0.5 s.
    expect(perRead).toBeLessThan(2_000);

    // A killed process comes back (local supervisor) and the control plane counts the restart.
    const state = listStates(cloud.instanceDir).find((s) => s.orgId === org.id)!;
    process.kill(state.pid, 'SIGKILL');
    const restarted = await until(
      'restart counted',
      async () => {
        const i = await instance();
        return i.restarts === 1 ? i : undefined;
      },
      30_000,
      200,
    );
    expect(restarted.startedAt).not.toBe(ok.startedAt);
  }, 150_000);
});
