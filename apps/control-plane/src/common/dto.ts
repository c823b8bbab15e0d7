import { z } from 'zod';

/** Resource ids are UUIDv7 strings; anything else can only be a 404, so reject it early as 400. */
export const id = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be an id');
/** Human-readable name. */
export const name = z.string().trim().min(1).max(100);
/** A future instant in ISO 8601. */
export const futureInstant = z.iso.datetime({ offset: true }).refine((v) => Date.parse(v) > Date.now(), 'must be in the future');
/** ISO timestamp or null in responses. */
export const instantOrNull = z.string().nullable();
