import { afterEach, describe, expect, it } from 'vitest';
import { IdempotencyPurger } from '../src/common/idempotency-purger.js';
import { startApp, type TestApp } from './harness.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const HOUR = 3_600_000;

describe('issue 10 durability: old idempotency records are purged', () => {
  it('the periodic purge deletes records past the retention and keeps younger ones; a purged key is free again', async () => {
    t = await startApp({ IDEMPOTENCY_RETENTION_HOURS: '1', IDEMPOTENCY_PURGE_INTERVAL_MS: '200' });
    const org = await t.org('acme', { 'admin@example.com': 'ADMIN' });
    const admin = org.callers['admin@example.com']!;
    expect(
      (
        await t.call(admin, {
          method: 'POST',
          url: '/api/v1/orgs/acme/environments',
          body: { key: 'prod', name: 'Prod' },
        })
      ).status,
    ).toBe(201);
    const create = (key: string, name: string) =>
      t!.call(admin, {
        method: 'POST',
        url: '/api/v1/orgs/acme/client-tokens',
        body: { name, environments: ['prod'] },
        headers: { 'idempotency-key': key },
      });
    expect((await create('old', 'first')).status).toBe(201);
    expect((await create('recent', 'second')).status).toBe(201);
    // Age the records as if they had been written 2 h and 30 min ago.
    await t.db.idempotencyRecord.updateMany({
      where: { key: 'old' },
      data: { createdAt: new Date(Date.now() - 2 * HOUR) },
    });
    await t.db.idempotencyRecord.updateMany({
      where: { key: 'recent' },
      data: { createdAt: new Date(Date.now() - HOUR / 2) },
    });

    await expect
      .poll(() => t!.db.idempotencyRecord.count({ where: { key: 'old' } }), { timeout: 10_000 })
      .toBe(0);
    expect(await t.db.idempotencyRecord.count({ where: { key: 'recent' } })).toBe(1);
    // Within the retention the key still guards its request; past it the key names a new request.
    expect((await create('recent', 'other')).status).toBe(422);
    expect((await create('old', 'other')).status).toBe(201);
    expect(await t.db.clientToken.count()).toBe(3);
  });

  it('purge() deletes by the configured retention', async () => {
    t = await startApp({ IDEMPOTENCY_RETENTION_HOURS: '48' });
    const user = await t.user('a@example.com');
    for (const [key, ageHours] of [
      ['a', 72],
      ['b', 47],
      ['c', 0],
    ] as const) {
      await t.db.idempotencyRecord.create({
        data: {
          id: `id-${key}`,
          userId: user.id,
          key,
          requestHash: 'h',
          createdAt: new Date(Date.now() - ageHours * HOUR),
        },
      });
    }
    expect(await t.app.get(IdempotencyPurger).purge()).toBe(1);
    expect(
      (await t.db.idempotencyRecord.findMany({ orderBy: { key: 'asc' } })).map((r) => r.key),
    ).toEqual(['b', 'c']);
  });
});
