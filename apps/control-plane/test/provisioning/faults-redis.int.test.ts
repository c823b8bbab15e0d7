/**
 * F5: Redis is unavailable for a while. Organisations created meanwhile are accepted (the intent
 * is an outbox row written in the same transaction); the relay's enqueue fails fast (producers
 * have no offline queue) and the rows stay pending with the error recorded. When Redis comes back
 * (a fresh, empty server: nothing survived in Redis) every instance is provisioned: no intent lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCloud, until, type Cloud } from './cloud.js';

let cloud: Cloud;
let redis: ChildProcess | undefined;
let redisPort: number;

function startRedis(): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  return until(
    'private redis up',
    async () => {
      const { Redis } = await import('ioredis');
      const r = new Redis(redisPort, '127.0.0.1', {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
      });
      r.on('error', () => undefined);
      try {
        await r.connect();
        return (await r.ping()) === 'PONG' ? child : undefined;
      } finally {
        r.disconnect();
      }
    },
    10_000,
    100,
  );
}

function stopRedis(): Promise<void> {
  const r = redis;
  redis = undefined;
  if (!r || r.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    r.once('exit', () => resolve());
    r.kill('SIGKILL');
  });
}

beforeAll(async () => {
  redisPort = await freePort();
  redis = await startRedis();
  cloud = await startCloud({ edge: false, env: { REDIS_URL: `redis://127.0.0.1:${redisPort}` } });
}, 120_000);
afterAll(async () => {
  await cloud?.close();
  await stopRedis();
});

describe('Redis outage', () => {
  it('loses no provisioning intent', async () => {
    const first = await cloud.createOrg('before-outage');
    await cloud.waitInstance(first.id);

    await stopRedis();
    const orgs: Array<{ id: string; slug: string }> = [];
    for (const slug of ['during-a', 'during-b', 'during-c']) {
      const t0 = Date.now();
      orgs.push(await cloud.createOrg(slug));
      // The API never waits for Redis.
      expect(Date.now() - t0).toBeLessThan(2_000);
    }
    // The relay tried, failed fast and kept the rows.
    await until(
      'relay recorded the failure',
      async () => {
        const pending = await cloud.t.db.outboxEvent.findMany({
          where: { orgId: { in: orgs.map((o) => o.id) }, processedAt: null },
        });
        return pending.length === 3 && pending.every((p) => p.attempts > 0 && p.lastError)
          ? pending
          : undefined;
      },
      10_000,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    for (const o of orgs)
      expect((await cloud.t.db.instance.findUniqueOrThrow({ where: { orgId: o.id } })).status).toBe(
        'pending',
      );

    const back = Date.now();
    redis = await startRedis();
    for (const o of orgs) await cloud.waitInstance(o.id, ['ready'], 40_000);
    process.stderr.write(
      `redis back: 3 pending organisations ready after ${Date.now() - back} ms\n`,
    );
    // The reconciler may provision first; the relay still delivers every row once Redis is back.
    await until(
      'outbox drained',
      async () =>
        (await cloud.t.db.outboxEvent.count({
          where: { orgId: { in: orgs.map((o) => o.id) }, processedAt: null },
        })) === 0,
      15_000,
    );
  }, 90_000);
});
