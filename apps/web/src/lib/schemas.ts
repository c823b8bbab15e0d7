import { z } from 'zod';

/** Same rule as the control plane's slugs and environment keys. */
export const slugSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
    'Lower-case letters, digits and inner dashes, at most 40.',
  );
export const nameSchema = z.string().trim().min(1, 'Required.').max(200, 'At most 200 characters.');
