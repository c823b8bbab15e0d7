import { z } from 'zod';
import { KEY_PATTERN } from '@switchyard/flags';
import { envKey } from '../environments/environments.dto.js';
import { entityChangeView } from '../flags/flags.dto.js';

const key = z.string().min(1).max(200).regex(KEY_PATTERN);

/** What to copy from `source` into the environment in the path: one flag, one namespace, or everything. */
export const promotionBody = z
  .strictObject({
    source: envKey.describe('environment to copy from'),
    namespace: key.optional().describe('copy only this namespace'),
    flag: key
      .optional()
      .describe('copy only this flag (needs namespace); the segments it uses come along'),
    flags: z
      .array(key)
      .min(1)
      .max(200)
      .optional()
      .describe(
        'copy only these flags of namespace, as one commit (needs namespace, not with flag)',
      ),
  })
  .refine((b) => (b.flag === undefined && b.flags === undefined) || b.namespace !== undefined, {
    message: 'flag and flags need namespace',
    path: ['namespace'],
  })
  .refine((b) => b.flag === undefined || b.flags === undefined, {
    message: 'send either flag or flags',
    path: ['flags'],
  });
export type PromotionBody = z.infer<typeof promotionBody>;

export const promotionPreview = z.object({
  sourceRevision: z.string(),
  targetRevision: z.string().describe('send it as If-Match to apply'),
  files: z.array(z.object({ path: z.string(), status: z.enum(['added', 'modified', 'deleted']) })),
  patch: z.string(),
  changes: z
    .array(entityChangeView)
    .describe('field-level changes per flag and segment of the target environment'),
  warnings: z.array(
    z.object({
      code: z.string(),
      message: z.string(),
      file: z.string().optional(),
      line: z.number().optional(),
      path: z.string().optional(),
    }),
  ),
});
