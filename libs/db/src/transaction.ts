import { retry } from '@switchyard/retry';
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
  return typeof e === 'object' && e !== null && 'code' in e && e.code === 'P2034';
}

/**
 * Runs `fn` in one interactive transaction. The callback may run more than once when Postgres
 * reports a serialization failure, so it must not have side effects outside the transaction.
 */
export async function withTransaction<T>(
  db: Database,
  fn: (tx: Tx) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  // Retried at once, as PostgreSQL advises for serialization failures: each attempt is a new
  // snapshot, and the conflicting transaction has usually finished by the time we are told.
  return retry(
    () =>
      db.$transaction(fn, {
        ...(options.isolationLevel ? { isolationLevel: options.isolationLevel } : {}),
        timeout: 15_000,
        maxWait: 10_000,
      }),
    { maxAttempts: (options.retries ?? 2) + 1, retryIf: isRetryable },
  );
}
