import { z } from 'zod';

/** Resource ids are UUIDv7 strings; anything else can only be a 404, so reject it early as 400. */
export const id = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be an id');
// Postgres text cannot hold NUL, and control characters have no business in names or filters.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Free text stored or queried as Postgres text: bounded, no control characters. */
export function text(max: number) {
  return z
    .string()
    .max(max)
    .refine((v) => !CONTROL.test(v), 'must not contain control characters');
}

/** Human-readable name. */
export const name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((v) => !CONTROL.test(v), 'must not contain control characters');
/** A future instant in ISO 8601. */
export const futureInstant = z.iso
  .datetime({ offset: true })
  .refine((v) => Date.parse(v) > Date.now(), 'must be in the future');
/** ISO timestamp or null in responses. */
export const instantOrNull = z.string().nullable();

/** Organisation slug: lower-case DNS label (it appears in evaluation hostnames). */
export const slug = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
    'lower-case letters, digits and inner dashes, at most 40',
  );
/** Path parameters of every org-scoped route. */
export const orgParams = z.object({ org: slug.describe('organisation slug') });
