import { z } from 'zod';
import { errors } from '@switchyard/flags';

/** `?limit&cursor` accepted by every list endpoint. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
/** Parsed page query. */
export type PageQuery = z.infer<typeof pageQuery>;

/** A page of items plus the opaque cursor of the next page (null at the end). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Response shape of a page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Decodes an opaque cursor to the last seen id; a forged cursor is a 400, not a 500. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f-]{36}$/.test(id))
    throw errors.invalidArgument('invalid cursor', [
      { path: 'query.cursor', message: 'invalid cursor' },
    ]);
  return id;
}

/**
 * Rows must be fetched ordered by id with `take: limit + 1`; the extra row only says whether a
 * next page exists. Ids are UUIDv7, so id order is creation order.
 */
export function toPage<R extends { id: string }, T>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const slice = more ? rows.slice(0, limit) : rows;
  const last = slice.at(-1);
  return {
    items: slice.map(map),
    nextCursor: more && last ? Buffer.from(last.id).toString('base64url') : null,
  };
}

/** Prisma arguments for a page after `cursor` in ascending (or descending) id order. */
export function pageArgs(q: PageQuery, direction: 'asc' | 'desc' = 'asc') {
  const after = decodeCursor(q.cursor);
  return {
    where: after ? { id: direction === 'asc' ? { gt: after } : { lt: after } } : {},
    orderBy: { id: direction },
    take: q.limit + 1,
  } as const;
}
