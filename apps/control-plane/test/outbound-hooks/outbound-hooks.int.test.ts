import { createHmac, randomUUID } from 'node:crypto';
import { createPrismaClient, type Database } from '@switchyard/db';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HookEmitter } from '../../src/outbound-hooks/hook-emitter.service.js';
import { startHookWorker, type HookWorker } from '../../src/outbound-hooks/hook-worker.js';
import { flagsFixture, variantFlag, type FlagsFixture } from '../flags/flags-helpers.js';
import { eventually, startReceiver, type Received, type Receiver } from './receiver.js';

/**
 * Issue 15, outbound webhooks, on the real stack: the control plane writes delivery rows and
 * BullMQ jobs (real Redis), the worker sends them through the address policy to a real HTTP
 * receiver on loopback, reached as `http://vm:<port>` (`vm` is 127.0.0.1 in /etc/hosts) because
 * that exact origin is allow-listed (OUTBOUND_ALLOWED_ORIGINS), the escape hatch tests use for
 * git servers too. A second receiver on another port is NOT allow-listed: nothing may reach it.
 */
let receiver: Receiver;
let canary: Receiver;
let f: FlagsFixture;
let workerDb: Database;
let worker: HookWorker;
const queuePrefix = `hooks-${randomUUID()}`;

beforeAll(async () => {
  receiver = await startReceiver();
  canary = await startReceiver();
  f = await flagsFixture([{ key: 'prod' }, { key: 'dev' }], {
    OUTBOUND_ALLOWED_ORIGINS: `http://vm:${receiver.port}`,
    QUEUE_PREFIX: queuePrefix,
  });
  workerDb = createPrismaClient({ databaseUrl: f.t.database.url, maxConnections: 2 });
  worker = startHookWorker({ config: f.t.config, db: workerDb, logger: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await worker.close();
  await workerDb.$disconnect();
  // BullMQ's keys do not expire: remove this suite's queue.
  const redis = new Redis(f.t.config.redisUrl);
  for await (const keys of redis.scanStream({ match: `${queuePrefix}:*`, count: 500 }))
    if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
  redis.disconnect();
  await f.t.close();
  await receiver.close();
  await canary.close();
});

const hooks = '/api/v1/orgs/home/outbound-webhooks';
const ifMatch = (rev: string) => ({ 'if-match': `"${rev}"` });

async function createHook(path: string, events: string[]) {
  const res = await f.t.call(f.owner, {
    method: 'POST',
    url: hooks,
    body: { name: path.slice(1), url: `http://vm:${receiver.port}${path}`, events },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json as { id: string; secret: string };
}

/** What a receiver checks (docs/webhooks.md), written here independently of the product's code. */
function verify(secret: string, r: Received): boolean {
  const ts = String(r.headers['x-switchyard-timestamp']);
  const expected = `v1=${createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex')}`;
  return r.headers['x-switchyard-signature'] === expected;
}

async function putFlag(env: string, key: string, extra: Record<string, unknown> = {}) {
  const res = await f.t.call(f.editor, {
    method: 'PUT',
    url: `${f.base(env)}/namespaces/default/flags/${key}`,
    headers: ifMatch(await f.revision(env)),
    body: variantFlag(key, extra),
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return f.revision(env);
}

describe('issue 15: outbound webhooks', () => {
  it('a commit is delivered once, signed over timestamp.body, with the commit and its field-level diff', async () => {
    const hook = await createHook('/commits', ['commit']);
    expect(hook.secret).toMatch(/^whsec_/);
    const stored = await f.t.db.outboundHook.findUniqueOrThrow({ where: { id: hook.id } });
    expect(Buffer.from(stored.secretCiphertext).toString('latin1')).not.toContain(hook.secret);
    const read = await f.t.call(f.owner, { method: 'GET', url: `${hooks}/${hook.id}` });
    expect(JSON.stringify(read.json)).not.toContain(hook.secret);

    const first = await putFlag('prod', 'checkout');
    const second = await putFlag('prod', 'checkout', { enabled: false });
    const got = await eventually('two commit deliveries', () =>
      receiver.to('/commits').length >= 2 ? receiver.to('/commits') : undefined,
    );
    const bodies = got.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.commit.sha)).toEqual([first, second]);
    for (const r of got) {
      expect(verify(hook.secret, r)).toBe(true);
      expect(verify('whsec_wrong', r)).toBe(false);
      expect(r.headers['x-switchyard-event']).toBe('commit');
      expect(r.headers['x-switchyard-event-id']).toBe(JSON.parse(r.body).id);
      expect(Math.abs(Number(r.headers['x-switchyard-timestamp']) * 1000 - r.at)).toBeLessThan(
        60_000,
      );
    }
    expect(bodies[0]).toMatchObject({
      type: 'commit',
      org: { slug: 'home' },
      environment: { key: 'prod' },
      commit: { author: { email: 'editor@example.com' } },
      diff: {
        truncated: false,
        objects: [{ namespace: 'default', kind: 'flag', key: 'checkout', change: 'added' }],
      },
    });
    expect(bodies[1].commit.previous).toBe(first);
    expect(bodies[1].diff.objects).toEqual([
      {
        namespace: 'default',
        kind: 'flag',
        key: 'checkout',
        change: 'changed',
        fields: [{ kind: 'changed', path: 'enabled', before: true, after: false }],
      },
    ]);
    // The log: one delivery per event, succeeded at the first attempt.
    const log = await f.t.call(f.owner, { method: 'GET', url: `${hooks}/${hook.id}/deliveries` });
    expect(log.status).toBe(200);
    expect(log.json.items.map((d: { eventType: string }) => d.eventType)).toEqual([
      'commit',
      'commit',
    ]);
    expect(log.json.items[0]).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 1,
      responseStatus: 200,
    });
    const detail = await f.t.call(f.owner, {
      method: 'GET',
      url: `${hooks}/${hook.id}/deliveries/${log.json.items[0].id}`,
    });
    expect(JSON.parse(detail.json.body).commit.sha).toBe(second);
    expect(detail.json.responseBody).toBe('answered 200');
  });

  it('a 500 is retried with backoff and the retry succeeds; redelivery resends the same body', async () => {
    const hook = await createHook('/flaky', ['token.created']);
    receiver.script.set('/flaky', [500]);
    const test = await f.t.call(f.owner, { method: 'POST', url: `${hooks}/${hook.id}/test` });
    expect(test.status, JSON.stringify(test.json)).toBe(202);
    const done = await eventually('the retried delivery', async () => {
      const d = await f.t.db.outboundHookDelivery.findUniqueOrThrow({
        where: { id: test.json.id },
      });
      return d.status === 'SUCCEEDED' ? d : undefined;
    });
    expect(done).toMatchObject({ attempts: 2, responseStatus: 200 });
    const [a, b] = receiver.to('/flaky');
    expect(receiver.to('/flaky')).toHaveLength(2);
    expect(b!.body).toBe(a!.body);
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(900); // the first backoff step is 1 s
    expect(JSON.parse(a!.body)).toMatchObject({ type: 'ping', hook: { id: hook.id } });
    expect(verify(hook.secret, b!)).toBe(true);

    const again = await f.t.call(f.owner, {
      method: 'POST',
      url: `${hooks}/${hook.id}/deliveries/${test.json.id}/redeliver`,
    });
    expect(again.status, JSON.stringify(again.json)).toBe(202);
    expect(again.json.id).not.toBe(test.json.id);
    const third = await eventually('the redelivery', () => receiver.to('/flaky')[2]);
    expect(third.body).toBe(a!.body);
    expect(third.headers['x-switchyard-delivery']).toBe(again.json.id);
  });

  it('token and promotion events reach the hooks subscribed to them, and only those', async () => {
    await createHook('/tokens', ['token.created', 'token.revoked', 'promotion']);
    const token = await f.t.call(f.owner, {
      method: 'POST',
      url: '/api/v1/orgs/home/client-tokens',
      body: { name: 'sdk', environments: ['prod'] },
    });
    expect(token.status).toBe(201);
    await f.t.call(f.owner, {
      method: 'POST',
      url: `/api/v1/orgs/home/client-tokens/${token.json.id}/revoke`,
    });
    await putFlag('dev', 'promoted');
    const promoted = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('prod')}/promotions`,
      headers: ifMatch(await f.revision('prod')),
      body: { source: 'dev', namespace: 'default', flag: 'promoted' },
    });
    expect(promoted.status, JSON.stringify(promoted.json)).toBe(200);
    const got = await eventually('three events', () =>
      receiver.to('/tokens').length >= 3 ? receiver.to('/tokens') : undefined,
    );
    const bodies = got.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.type).sort()).toEqual([
      'promotion',
      'token.created',
      'token.revoked',
    ]);
    const created = bodies.find((b) => b.type === 'token.created');
    expect(created.token).toMatchObject({ id: token.json.id, name: 'sdk' });
    expect(JSON.stringify(created)).not.toContain(token.json.token);
    const promotion = bodies.find((b) => b.type === 'promotion');
    expect(promotion).toMatchObject({
      environment: { key: 'prod' },
      promotion: { source: 'dev' },
      commit: { sha: promoted.json.revision },
      diff: { objects: [{ key: 'promoted', change: 'added' }] },
    });
    // The commit-only hook of the first test got the promotion's commit, not the token events.
    expect(receiver.to('/commits').map((r) => JSON.parse(r.body).type)).not.toContain(
      'token.created',
    );
  });

  it('a proposal announces opened, changes requested, approved and merged (with the merge commit and its diff)', async () => {
    await createHook('/proposals', [
      'proposal.opened',
      'proposal.changes_requested',
      'proposal.approved',
      'proposal.merged',
    ]);
    const path = f.base('dev');
    const opened = await f.t.call(f.editor, {
      method: 'POST',
      url: `${path}/proposals`,
      body: { title: 'Add proposed' },
    });
    expect(opened.status, JSON.stringify(opened.json)).toBe(201);
    const id = opened.json.id as string;
    const edit = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${path}/namespaces/default/flags/proposed?proposal=${id}`,
      headers: ifMatch(opened.json.revision),
      body: variantFlag('proposed'),
    });
    expect(edit.status, JSON.stringify(edit.json)).toBe(200);
    const reviewed = edit.json.revision as string;
    const asked = await f.t.call(f.editor2, {
      method: 'POST',
      url: `${path}/proposals/${id}/request-changes`,
      headers: ifMatch(reviewed),
      body: { comment: 'Describe it' },
    });
    expect(asked.status, JSON.stringify(asked.json)).toBe(200);
    const approved = await f.t.call(f.editor2, {
      method: 'POST',
      url: `${path}/proposals/${id}/approve`,
      headers: ifMatch(reviewed),
    });
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    // Approving records the approval; merging is its own step (by the author here).
    const merged = await f.t.call(f.editor, {
      method: 'POST',
      url: `${path}/proposals/${id}/merge`,
      headers: ifMatch(reviewed),
    });
    expect(merged.status, JSON.stringify(merged.json)).toBe(200);
    const got = await eventually('four proposal events', () =>
      receiver.to('/proposals').length >= 4 ? receiver.to('/proposals') : undefined,
    );
    const byType = new Map(got.map((r) => [JSON.parse(r.body).type as string, JSON.parse(r.body)]));
    expect([...byType.keys()].sort()).toEqual([
      'proposal.approved',
      'proposal.changes_requested',
      'proposal.merged',
      'proposal.opened',
    ]);
    expect(byType.get('proposal.opened')).toMatchObject({
      environment: { key: 'dev' },
      actor: { email: 'editor@example.com' },
      proposal: { id, title: 'Add proposed' },
    });
    expect(byType.get('proposal.changes_requested').proposal).toMatchObject({
      comment: 'Describe it',
      revision: reviewed,
    });
    expect(byType.get('proposal.approved')).toMatchObject({
      actor: { email: 'editor2@example.com' },
      proposal: { id, approvedRevision: reviewed },
    });
    expect(byType.get('proposal.merged')).toMatchObject({
      actor: { email: 'editor@example.com' },
      commit: { sha: merged.json.revision },
      diff: { objects: [{ key: 'proposed', change: 'added' }] },
    });
  });

  it('loopback, private and metadata targets are refused at creation and on change (400 on body.url)', async () => {
    const refused = [
      `http://127.0.0.1:${receiver.port}/x`,
      `http://localhost:${receiver.port}/x`,
      `http://vm:${canary.port}/x`,
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/x',
      'http://[64:ff9b::7f00:1]/x',
      'http://10.0.0.1/x',
      'https://0x7f.1/x',
    ];
    for (const url of refused) {
      const res = await f.t.call(f.owner, {
        method: 'POST',
        url: hooks,
        body: { name: 'bad', url, events: ['commit'] },
      });
      expect(res.status, `${url}: ${JSON.stringify(res.json)}`).toBe(400);
      expect(res.json.details[0].path, url).toBe('body.url');
    }
    const hook = await createHook('/change', ['commit']);
    const patch = await f.t.call(f.owner, {
      method: 'PATCH',
      url: `${hooks}/${hook.id}`,
      body: { url: `http://localhost:${canary.port}/x` },
    });
    expect(patch.status).toBe(400);
    expect(patch.json.details[0].path).toBe('body.url');
    await f.t.call(f.owner, { method: 'DELETE', url: `${hooks}/${hook.id}` });
    expect(canary.requests).toEqual([]);
  });

  it('at delivery: a target whose name now resolves to loopback (DNS rebinding) is refused, not retried, and never reached', async () => {
    const hook = await createHook('/rebound', ['commit']);
    // As if the name had resolved to a public address when saved and to 127.0.0.1 now: the row
    // points at `vm` on a port that is not allow-listed.
    await f.t.db.outboundHook.update({
      where: { id: hook.id },
      data: { url: `http://vm:${canary.port}/rebound` },
    });
    const test = await f.t.call(f.owner, { method: 'POST', url: `${hooks}/${hook.id}/test` });
    expect(test.status).toBe(202);
    const failed = await eventually('the refused delivery', async () => {
      const d = await f.t.db.outboundHookDelivery.findUniqueOrThrow({
        where: { id: test.json.id },
      });
      return d.status === 'FAILED' ? d : undefined;
    });
    expect(failed.attempts).toBe(1);
    expect(failed.error).toMatch(/address policy.*not allowed/);
    expect(canary.requests).toEqual([]);
    await f.t.call(f.owner, { method: 'DELETE', url: `${hooks}/${hook.id}` });
  });

  it('two replicas: a commit made through either is delivered exactly once', async () => {
    const hook = await createHook('/replicas', ['commit']);
    const other = await f.t.replica();
    const rev = await f.revision('prod');
    const res = await other.inject({
      method: 'PUT',
      url: `${f.base('prod')}/namespaces/default/flags/via-replica`,
      headers: {
        authorization: `Bearer ${f.editor.token}`,
        'content-type': 'application/json',
        ...ifMatch(rev),
      },
      payload: JSON.stringify(variantFlag('via-replica')),
    });
    expect(res.statusCode, res.body).toBe(200);
    const viaReplica = await f.revision('prod');
    const viaFirst = await putFlag('prod', 'via-first');
    await eventually('both commits', () =>
      receiver.to('/replicas').length >= 2 ? true : undefined,
    );
    // The same event announced again on both replicas still makes one delivery (id-derived dedupe).
    const event = {
      orgId: (await f.t.db.organisation.findUniqueOrThrow({ where: { slug: 'home' } })).id,
      type: 'commit' as const,
      id: 'evt_same',
      environment: 'prod',
    };
    const first = await f.t.app.get(HookEmitter).emit(event);
    const second = await other.get(HookEmitter).emit(event);
    expect(first.length).toBe(
      await f.t.db.outboundHook.count({ where: { events: { has: 'commit' } } }),
    );
    expect(second).toEqual([]);
    await eventually('the re-announced event', () =>
      receiver.to('/replicas').length >= 3 ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 1_500)); // room for a duplicate to show up
    const shas = receiver
      .to('/replicas')
      .map((r) => JSON.parse(r.body))
      .filter((b) => b.commit?.sha)
      .map((b) => b.commit.sha);
    expect(shas.sort()).toEqual([viaReplica, viaFirst].sort());
    expect(receiver.to('/replicas')).toHaveLength(3);
    expect(await f.t.db.outboundHookDelivery.count({ where: { hookId: hook.id } })).toBe(3);
  });

  it('the sweep queues deliveries left without a job (Redis was away) and bounds the log', async () => {
    const hook = await createHook('/swept', ['commit']);
    const orgId = (await f.t.db.organisation.findUniqueOrThrow({ where: { slug: 'home' } })).id;
    const row = (eventId: string, createdAt: Date) => ({
      hookId: hook.id,
      orgId,
      eventId,
      eventType: 'commit',
      dedupeKey: `${hook.id}/${eventId}`,
      body: JSON.stringify({ id: eventId, type: 'commit' }),
      status: 'SUCCEEDED' as const,
      createdAt,
    });
    const hourAgo = Date.now() - 3_600_000;
    await f.t.db.outboundHookDelivery.createMany({
      data: [
        row('evt_ancient', new Date(Date.now() - 31 * 24 * 3_600_000)),
        ...Array.from({ length: 205 }, (_, i) => row(`evt_old${i}`, new Date(hourAgo + i))),
      ],
    });
    // Written by the control plane while Redis was away: a PENDING row with no job, idle since.
    const orphan = await f.t.db.outboundHookDelivery.create({
      data: { ...row('evt_orphan', new Date()), status: 'PENDING' },
    });
    await f.t.db.$executeRaw`
      UPDATE outbound_hook_deliveries SET "updatedAt" = now() - interval '5 minutes'
      WHERE id = ${orphan.id}`;
    await worker.sweep();
    const sent = await eventually('the orphan', () => receiver.to('/swept')[0]);
    expect(sent.headers['x-switchyard-event-id']).toBe('evt_orphan');
    const kept = await f.t.db.outboundHookDelivery.findMany({
      where: { hookId: hook.id },
      select: { eventId: true },
    });
    expect(kept).toHaveLength(200);
    const ids = new Set(kept.map((k) => k.eventId));
    expect(ids.has('evt_orphan')).toBe(true);
    expect(ids.has('evt_ancient')).toBe(false);
    expect(ids.has('evt_old0')).toBe(false); // the oldest beyond the newest 200
    expect(ids.has('evt_old204')).toBe(true);
  });

  it('only admins manage webhooks; another organisation sees none of them', async () => {
    for (const caller of [f.editor, f.viewer]) {
      const res = await f.t.call(caller, { method: 'GET', url: hooks });
      expect(res.status).toBe(403);
    }
    const list = await f.t.call(f.owner, { method: 'GET', url: hooks });
    expect(list.json.items.length).toBeGreaterThan(0);
  });
});
