import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchyard/testing';
import {
  createPrismaClient,
  migrate,
  MIGRATIONS_DIR,
  withTransaction,
  type Database,
} from '../src/index.js';

let tdb: TestDatabase;
let db: Database;
beforeEach(async () => {
  tdb = await createTestDatabase({
    migrationsDir: MIGRATIONS_DIR,
    migrate: (url) =>
      migrate({ databaseUrl: url, migrationsDir: MIGRATIONS_DIR }).then(() => undefined),
  });
  db = createPrismaClient({ databaseUrl: tdb.url, maxConnections: 4 });
});
afterEach(async () => {
  await db.$disconnect();
  await tdb.drop();
});

describe('withTransaction', () => {
  it('rolls back everything when the callback throws', async () => {
    await expect(
      withTransaction(db, async (tx) => {
        await tx.user.create({ data: { email: 'a@example.com' } });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.user.count()).toBe(0);
  });

  it('retries serialization failures so concurrent read-modify-write transactions both land', async () => {
    const org = await db.organisation.create({ data: { slug: 'acme', name: 'Acme' } });
    await db.instance.create({ data: { orgId: org.id, desiredState: {} } });
    let attempts = 0;
    // Both first attempts read before either writes (a sleep would not ensure it on a loaded
    // machine): one of them must then fail to serialize and be retried.
    let reads = 0;
    let bothRead!: () => void;
    const barrier = new Promise<void>((r) => (bothRead = r));
    const bump = () =>
      withTransaction(
        db,
        async (tx) => {
          attempts++;
          const i = await tx.instance.findUniqueOrThrow({ where: { orgId: org.id } });
          if (++reads === 2) bothRead();
          await barrier;
          await tx.instance.update({
            where: { orgId: org.id },
            data: { generation: i.generation + 1 },
          });
        },
        { isolationLevel: 'Serializable', retries: 5 },
      );
    await Promise.all([bump(), bump()]);
    expect((await db.instance.findUniqueOrThrow({ where: { orgId: org.id } })).generation).toBe(3);
    expect(attempts).toBeGreaterThan(2);
  });
});
