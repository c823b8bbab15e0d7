/**
 * Scheduled changes on the real stack (Postgres, Redis/BullMQ, hosted git): two workers (two Nest
 * applications with their own database pools and Redis connections) apply a change exactly once;
 * a change that conflicts with a later edit fails visibly; a worker SIGKILLed between its commit
 * and recording it (a real child process) is taken over without a second commit; protected
 * environments need an approval first; cancel; bad input is a 4xx.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleEvents, type ScheduleEvent } from '../../src/events/schedule-events.js';
import { ScheduleApplier } from '../../src/schedules/schedule-applier.js';
import { startScheduleWorker, type ScheduleWorker } from '../../src/schedules/schedule.worker.js';
import {
  commitCount,
  flagsFixture,
  variantFlag,
  type FlagsFixture,
} from '../flags/flags-helpers.js';
import { ROOT, startChild, until } from '../provisioning/cloud.js';

const WORKER = `${ROOT}apps/control-plane/dist/worker.js`;
const PREFIX = `sched${randomUUID().slice(0, 8)}`;
const LEASE_MS = 3_000;
let f: FlagsFixture;
let replica: NestFastifyApplication;
let workers: ScheduleWorker[] = [];
let scratch: string;
const events: ScheduleEvent[] = [];
const P = '/api/v1/orgs/home/environments';

function startWorkers(): void {
  workers = [f.t.app, replica].map((app) =>
    startScheduleWorker({
      applier: app.get(ScheduleApplier),
      config: f.t.config,
      logger: pino({ level: 'silent' }),
    }),
  );
}
async function stopWorkers(): Promise<void> {
  await Promise.all(workers.map((w) => w.close()));
  workers = [];
}

beforeAll(async () => {
  f = await flagsFixture([{ key: 'prod' }, { key: 'stage' }, { key: 'locked', protected: true }], {
    QUEUE_PREFIX: PREFIX,
    SCHEDULER_SWEEP_INTERVAL_MS: '1000',
    SCHEDULER_LEASE_MS: String(LEASE_MS),
  });
  replica = await f.t.replica();
  for (const app of [f.t.app, replica]) app.get(ScheduleEvents).on((e) => events.push(e));
  scratch = await mkdtemp(join(tmpdir(), 'sy-sched-'));
  startWorkers();
}, 180_000);
afterAll(async () => {
  await stopWorkers();
  await f?.t.close();
  await rm(scratch, { recursive: true, force: true });
});

/** Creates or replaces flag `key` in prod's default namespace; returns the new revision. */
async function putFlag(
  env: string,
  flag: Record<string, unknown>,
  caller = f.editor,
): Promise<string> {
  const rev = await f.revision(env);
  const res = await f.t.call(caller, {
    method: 'PUT',
    url: `${P}/${env}/namespaces/default/flags/${String(flag['key'])}`,
    headers: { 'if-match': `"${rev}"` },
    body: flag,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.revision as string;
}

function schedule(env: string, rev: string, body: Record<string, unknown>, caller = f.editor) {
  return f.t.call(caller, {
    method: 'POST',
    url: `${P}/${env}/scheduled-changes`,
    headers: { 'if-match': `"${rev}"` },
    body,
  });
}
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

async function settled(env: string, id: string, timeoutMs = 60_000) {
  return until(
    `scheduled change ${id} to finish`,
    async () => {
      const r = await f.t.call(f.viewer, {
        method: 'GET',
        url: `${P}/${env}/scheduled-changes/${id}`,
      });
      return ['applied', 'failed'].includes(r.json.status as string) ? r.json : undefined;
    },
    timeoutMs,
    200,
  );
}
async function commitsOf(env: string, id: string): Promise<string[]> {
  const store = await f.store(env);
  const out = (
    await store.git(['log', '--format=%H', `--grep=^Switchyard-Schedule: ${id}$`, 'main'])
  )
    .toString()
    .trim();
  return out === '' ? [] : out.split('\n');
}
async function flagOf(env: string, key: string) {
  const r = await f.t.call(f.viewer, {
    method: 'GET',
    url: `${P}/${env}/namespaces/default/flags/${key}`,
  });
  return r.json.flag as Record<string, unknown>;
}

describe('scheduled flag edits', () => {
  it('are applied once, at their time, by one of two workers, as a commit by the scheduler', async () => {
    const keys = ['once-a', 'once-b', 'once-c'];
    for (const k of keys) await putFlag('prod', variantFlag(k, { enabled: false }));
    const store = await f.store('prod');
    const before = await commitCount(store);
    // Far enough ahead that the three requests land before it on a loaded machine.
    const at = inMs(6_000);
    const ids: string[] = [];
    for (const k of keys) {
      const res = await schedule('prod', await f.revision('prod'), {
        kind: 'flag',
        at,
        namespace: 'default',
        flag: k,
        document: variantFlag(k, { enabled: true }),
      });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      expect(res.json).toMatchObject({ status: 'pending', runAt: new Date(at).toISOString() });
      ids.push(res.json.id as string);
    }
    expect((await flagOf('prod', 'once-a'))['enabled']).toBe(false);
    for (const id of ids) {
      const done = await settled('prod', id);
      expect(done.status, done.failureReason).toBe('applied');
      expect(Date.parse(done.finishedAt)).toBeGreaterThanOrEqual(Date.parse(at));
      const commits = await commitsOf('prod', id);
      expect(commits).toEqual([done.appliedRevision]);
      const author = (await store.git(['log', '-1', '--format=%an <%ae>', commits[0]!])).toString();
      expect(author.trim()).toBe(
        'Switchyard scheduler on behalf of Eddie Editor <editor@example.com>',
      );
    }
    // Let a late duplicate show up before counting.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await commitCount(store)).toBe(before + keys.length);
    for (const k of keys) expect((await flagOf('prod', k))['enabled']).toBe(true);
    for (const id of ids) {
      expect(
        events.filter((e) => e.scheduleId === id && e.kind === 'schedule.applied'),
      ).toHaveLength(1);
      expect(
        await f.t.db.auditEvent.count({ where: { targetId: id, action: 'schedule.apply' } }),
      ).toBe(1);
    }
  });

  it('two workers racing for one due change: one applies it, the other is turned away', async () => {
    await stopWorkers();
    try {
      await putFlag('prod', variantFlag('race', { enabled: false }));
      const res = await schedule('prod', await f.revision('prod'), {
        kind: 'flag',
        at: inMs(3_000),
        namespace: 'default',
        flag: 'race',
        document: variantFlag('race', { enabled: true }),
      });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      await new Promise((r) =>
        setTimeout(r, Date.parse(res.json.runAt as string) + 200 - Date.now()),
      );
      const outcomes = await Promise.all(
        [f.t.app, replica].map((app) => app.get(ScheduleApplier).run(res.json.id as string)),
      );
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['applied', 'skipped']);
      expect(await commitsOf('prod', res.json.id as string)).toHaveLength(1);
    } finally {
      startWorkers();
    }
  });

  it('keep later edits of other fields, and fail visibly when a later edit changed the same field', async () => {
    await putFlag('prod', variantFlag('merge', { enabled: false }));
    await putFlag('prod', variantFlag('clash', { enabled: false }));
    const merged = await schedule('prod', await f.revision('prod'), {
      kind: 'flag',
      at: inMs(4_000),
      namespace: 'default',
      flag: 'merge',
      document: variantFlag('merge', { enabled: true }),
    });
    const clash = await schedule('prod', await f.revision('prod'), {
      kind: 'flag',
      at: inMs(4_000),
      namespace: 'default',
      flag: 'clash',
      document: variantFlag('clash', { enabled: false, name: 'Scheduled name' }),
    });
    expect([merged.status, clash.status]).toEqual([201, 201]);
    // Later edits by someone else: another field of `merge`, the same field of `clash`.
    await putFlag(
      'prod',
      variantFlag('merge', { enabled: false, description: 'later' }),
      f.editor2,
    );
    await putFlag(
      'prod',
      variantFlag('clash', { enabled: false, name: 'Edited meanwhile' }),
      f.editor2,
    );

    const ok = await settled('prod', merged.json.id as string);
    expect(ok.status, ok.failureReason).toBe('applied');
    expect(await flagOf('prod', 'merge')).toMatchObject({ enabled: true, description: 'later' });

    const failed = await settled('prod', clash.json.id as string);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/flag default\/clash: .*later commit: name/);
    expect(failed.appliedRevision).toBeNull();
    expect(await commitsOf('prod', clash.json.id as string)).toEqual([]);
    expect((await flagOf('prod', 'clash'))['name']).toBe('Edited meanwhile');
    const audit = await f.t.db.auditEvent.findFirst({
      where: { targetId: clash.json.id as string, action: 'schedule.fail' },
    });
    expect(audit?.after).toMatchObject({ status: 'failed', failureReason: failed.failureReason });
    const notified = events.filter(
      (e) => e.scheduleId === clash.json.id && e.kind === 'schedule.failed',
    );
    expect(notified).toHaveLength(1);
    expect(notified[0]).toMatchObject({
      envKey: 'prod',
      flag: 'clash',
      reason: failed.failureReason,
    });
  });

  it('a worker killed between its commit and recording it: the change is taken over, still one commit', async () => {
    await stopWorkers();
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: f.t.database.url,
      REDIS_URL: f.t.config.redisUrl,
      SWITCHYARD_DATA_DIR: scratch,
      GIT_DATA_DIR: f.dataDir,
      QUEUE_PREFIX: PREFIX,
      WORKER_ROLES: 'scheduler',
      SCHEDULER_SWEEP_INTERVAL_MS: '500',
      SCHEDULER_LEASE_MS: String(LEASE_MS),
    };
    let crashing: (ChildProcess & { output: () => string }) | undefined;
    try {
      await putFlag('prod', variantFlag('killed', { enabled: false }));
      const store = await f.store('prod');
      const before = await commitCount(store);
      crashing = startChild(WORKER, { ...env, SCHEDULER_CRASH_AFTER: 'commit' });
      const res = await schedule('prod', await f.revision('prod'), {
        kind: 'flag',
        at: inMs(4_000),
        namespace: 'default',
        flag: 'killed',
        document: variantFlag('killed', { enabled: true }),
      });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      const id = res.json.id as string;
      const child = crashing;
      const signal = await new Promise<string | null>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode);
        child.once('exit', (_c, s) => resolve(s));
        setTimeout(() => resolve('timeout'), 90_000);
      });
      expect(signal, crashing.output()).toBe('SIGKILL');
      const row = await f.t.db.scheduledChange.findUniqueOrThrow({ where: { id } });
      expect(row.status).toBe('APPLYING');
      expect(await commitsOf('prod', id)).toHaveLength(1);

      startWorkers();
      const done = await settled('prod', id, 90_000);
      expect(done.status, done.failureReason).toBe('applied');
      expect(await commitsOf('prod', id)).toEqual([done.appliedRevision]);
      expect(await commitCount(store)).toBe(before + 1);
      expect(
        await f.t.db.auditEvent.count({ where: { targetId: id, action: 'schedule.apply' } }),
      ).toBe(1);
    } finally {
      if (crashing && crashing.exitCode === null && crashing.signalCode === null)
        crashing.kill('SIGKILL');
      if (workers.length === 0) startWorkers();
    }
  });
});

describe('scheduled promotions', () => {
  it('copy the reviewed source revision into the environment at the time', async () => {
    await putFlag('stage', variantFlag('promoted', { enabled: true }));
    const res = await schedule('prod', await f.revision('prod'), {
      kind: 'promotion',
      at: inMs(5_000),
      promotion: { source: 'stage', namespace: 'default', flag: 'promoted' },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json.summary).toBe('Promote flag default/promoted from stage');
    // A later change in the source is not what was reviewed: it does not ship.
    await putFlag('stage', variantFlag('promoted', { enabled: false }));
    const done = await settled('prod', res.json.id as string);
    expect(done.status, done.failureReason).toBe('applied');
    expect(await flagOf('prod', 'promoted')).toMatchObject({ key: 'promoted', enabled: true });
  });
});

describe('protected environments', () => {
  async function proposal(title: string, flag: string) {
    const opened = await f.t.call(f.editor, {
      method: 'POST',
      url: `${P}/locked/proposals`,
      body: { title },
    });
    expect(opened.status).toBe(201);
    const id = opened.json.id as string;
    const edit = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${P}/locked/namespaces/default/flags/${flag}?proposal=${id}`,
      headers: { 'if-match': `"${opened.json.revision as string}"` },
      body: variantFlag(flag),
    });
    expect(edit.status, JSON.stringify(edit.json)).toBe(200);
    return { id, revision: edit.json.revision as string };
  }

  it('refuse direct edits: only a proposal can be scheduled', async () => {
    const res = await schedule('locked', await f.revision('locked'), {
      kind: 'flag',
      at: inMs(60_000),
      namespace: 'default',
      flag: 'x',
      document: variantFlag('x'),
    });
    expect(res.status).toBe(412);
    expect(res.json.message).toMatch(/protected: open a proposal/);
  });

  it('need an approval by someone else before the change is due, then merge it at the time', async () => {
    const p = await proposal('Launch', 'launch');
    const res = await schedule('locked', p.revision, {
      kind: 'proposal',
      at: inMs(6_000),
      proposal: p.id,
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json).toMatchObject({ status: 'awaiting_approval', proposalId: p.id });
    const id = res.json.id as string;
    const approve = (caller: typeof f.editor, rev = p.revision) =>
      f.t.call(caller, {
        method: 'POST',
        url: `${P}/locked/scheduled-changes/${id}/approve`,
        headers: { 'if-match': `"${rev}"` },
      });
    expect((await approve(f.editor)).status).toBe(403);
    expect((await approve(f.viewer)).status).toBe(403);
    const ok = await approve(f.editor2);
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json).toMatchObject({
      status: 'pending',
      approvedBy: { email: 'editor2@example.com' },
    });
    const done = await settled('locked', id);
    expect(done.status, done.failureReason).toBe('applied');
    expect((await flagOf('locked', 'launch'))['key']).toBe('launch');
    const store = await f.store('locked');
    const message = (
      await store.git(['log', '-1', '--format=%an%n%B', done.appliedRevision])
    ).toString();
    expect(message).toContain('Switchyard scheduler on behalf of Eddie Editor');
    expect(message).toContain('Approved-By: editor2@example.com');
    const merged = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${P}/locked/proposals/${p.id}`,
    });
    expect(merged.json.status).toBe('merged');
  });

  it('an unapproved change does not run at its time', async () => {
    const p = await proposal('Never approved', 'unapproved');
    const res = await schedule('locked', p.revision, {
      kind: 'proposal',
      at: inMs(3_000),
      proposal: p.id,
    });
    expect(res.status).toBe(201);
    // Past its time and several sweeps later.
    await new Promise((r) => setTimeout(r, 5_500));
    const now = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${P}/locked/scheduled-changes/${res.json.id as string}`,
    });
    expect(now.json.status).toBe('awaiting_approval');
    const flag = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${P}/locked/namespaces/default/flags/unapproved`,
    });
    expect(flag.status).toBe(404);
    const late = await f.t.call(f.editor2, {
      method: 'POST',
      url: `${P}/locked/scheduled-changes/${res.json.id as string}/approve`,
      headers: { 'if-match': `"${p.revision}"` },
    });
    expect(late.status).toBe(412);
  });
});

describe('cancel, list and bad input', () => {
  it('cancels a pending change (audited); it never runs; a finished one cannot be cancelled', async () => {
    await putFlag('prod', variantFlag('cancelled', { enabled: false }));
    const res = await schedule('prod', await f.revision('prod'), {
      kind: 'flag',
      at: inMs(6_000),
      namespace: 'default',
      flag: 'cancelled',
      document: variantFlag('cancelled', { enabled: true }),
    });
    const id = res.json.id as string;
    const url = `${P}/prod/scheduled-changes/${id}/cancel`;
    expect((await f.t.call(f.viewer, { method: 'POST', url })).status).toBe(403);
    const cancelled = await f.t.call(f.editor2, { method: 'POST', url });
    expect(cancelled.status, JSON.stringify(cancelled.json)).toBe(200);
    expect(cancelled.json).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'editor2@example.com',
    });
    expect(
      await f.t.db.auditEvent.count({ where: { targetId: id, action: 'schedule.cancel' } }),
    ).toBe(1);
    await new Promise((r) => setTimeout(r, 3_500));
    expect((await flagOf('prod', 'cancelled'))['enabled']).toBe(false);
    const again = await f.t.call(f.editor2, { method: 'POST', url });
    expect(again.status).toBe(412);
    expect(again.json.message).toMatch(/cancelled: only pending/);
  });

  it('lists per environment and per flag, by time', async () => {
    const all = await f.t.call(f.viewer, { method: 'GET', url: `${P}/prod/scheduled-changes` });
    expect(all.status).toBe(200);
    expect(all.json.items.length).toBeGreaterThan(3);
    const runAts = (all.json.items as { runAt: string }[]).map((i) => i.runAt);
    expect([...runAts].sort()).toEqual(runAts);
    const one = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${P}/prod/scheduled-changes?namespace=default&flag=clash`,
    });
    expect(one.json.items.map((i: { flag: string; status: string }) => [i.flag, i.status])).toEqual(
      [['clash', 'failed']],
    );
    const bad = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${P}/prod/scheduled-changes?flag=clash`,
    });
    expect(bad.status).toBe(400);
  });

  it('refuses bad input with a 4xx that says what to fix', async () => {
    const rev = await f.revision('prod');
    const body = (over: Record<string, unknown>) => ({
      kind: 'flag',
      at: inMs(60_000),
      namespace: 'default',
      flag: 'once-a',
      document: variantFlag('once-a'),
      ...over,
    });
    const past = await schedule(
      'prod',
      rev,
      body({ at: new Date(Date.now() - 60_000).toISOString() }),
    );
    expect(past.status).toBe(400);
    expect(past.json.details).toEqual([
      expect.objectContaining({ path: 'body.at', message: 'must be in the future' }),
    ]);
    const far = await schedule(
      'prod',
      rev,
      body({ at: new Date(Date.now() + 400 * 86_400_000).toISOString() }),
    );
    expect(far.status).toBe(400);
    const unknownFlag = await schedule('prod', rev, body({ flag: 'nope', document: null }));
    expect(unknownFlag.status).toBe(404);
    expect(unknownFlag.json.message).toMatch(/flag "nope" not found/);
    const unknownNs = await schedule('prod', rev, body({ namespace: 'nope' }));
    expect(unknownNs.status).toBe(404);
    const otherKey = await schedule('prod', rev, body({ flag: 'once-b' }));
    expect(otherKey.status).toBe(400);
    expect(otherKey.json.details[0].path).toBe('body.document.key');
    const noIfMatch = await f.t.call(f.editor, {
      method: 'POST',
      url: `${P}/prod/scheduled-changes`,
      body: body({}),
    });
    expect(noIfMatch.status).toBe(428);
    await putFlag('prod', variantFlag('moved'));
    expect((await schedule('prod', rev, body({}))).status).toBe(409);
    expect((await schedule('prod', await f.revision('prod'), body({}), f.viewer)).status).toBe(403);
    const invalid = await schedule(
      'prod',
      await f.revision('prod'),
      body({ document: variantFlag('once-a', { rules: [{ segment: 'no-such-segment' }] }) }),
    );
    expect(invalid.status).toBe(400);
    const unknown = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${P}/prod/scheduled-changes/${randomUUID()}`,
    });
    expect(unknown.status).toBe(404);
  });
});
