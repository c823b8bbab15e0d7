import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.js';

/** Options for {@link createPrismaClient}. */
export interface PrismaClientOptions {
  /** postgresql:// URL of the database. */
  databaseUrl: string;
  /** Pool size; defaults to pg's default (10). */
  maxConnections?: number;
}

/** A Prisma client bound to its own pg pool. Callers own its lifecycle (`$disconnect`). */
export type Database = InstanceType<typeof PrismaClient>;

/** Creates a Prisma client over `@prisma/adapter-pg`. There is deliberately no global singleton. */
export function createPrismaClient(options: PrismaClientOptions): Database {
  const adapter = new PrismaPg({
    connectionString: options.databaseUrl,
    ...(options.maxConnections ? { max: options.maxConnections } : {}),
  });
  return new PrismaClient({ adapter });
}
