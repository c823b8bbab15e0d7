import type { Database } from './client.js';
import type { Prisma } from './generated/prisma/client.js';

/** The client handed to a transaction callback. */
export type Tx = Prisma.TransactionClient;

/** Options for {@link withTransaction}. */
export interface TransactionOptions {
  isolationLevel?: Prisma.TransactionIsolationLevel;
  /** Extra attempts on a serialization failure or deadlock (P2034); default 2. */
  retries?: number;
}

function isRetryable(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && (e).code === 'P2034';
}

/**
 * Runs `fn` in one interactive transaction. The callback may run more than once when Postgres
 * reports a serialization failure, so it must not have side effects outside the transaction.
 */
export async function withTransaction<T>(db: Database, fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const retries = options.retries ?? 2;
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(fn, {
        ...(options.isolationLevel ? { isolationLevel: options.isolationLevel } : {}),
        timeout: 15_000,
        maxWait: 10_000,
      });
    } catch (e) {
      if (attempt < retries && isRetryable(e)) continue;
      throw e;
    }
  }
}
