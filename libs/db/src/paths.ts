import { fileURLToPath } from 'node:url';

/** The repository's `prisma/migrations` directory (resolved from this package, src or dist). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));
