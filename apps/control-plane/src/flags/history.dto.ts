import { z } from 'zod';
import { KEY_PATTERN } from '@switchyard/flags';

const rev = z.string().regex(/^[0-9a-f]{40}$/, 'a 40-character commit id');
const key = z.string().min(1).max(200).regex(KEY_PATTERN);

export const historyQuery = z.strictObject({
  namespace: key.optional(),
  flag: key.optional().describe('needs namespace'),
  cursor: rev.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type HistoryQueryDto = z.infer<typeof historyQuery>;
export const diffQuery = z.strictObject({
  from: rev,
  to: rev.optional().describe('defaults to the current revision'),
});
export type DiffQueryDto = z.infer<typeof diffQuery>;
export const revertBody = z.strictObject({ revision: rev.describe('the commit to undo') });
export type RevertBody = z.infer<typeof revertBody>;

const commit = z.object({
  revision: z.string(),
  parents: z.array(z.string()),
  author: z.object({ name: z.string(), email: z.string() }),
  time: z.string(),
  summary: z.string(),
  message: z.string(),
});
export const historyPage = z.object({
  revision: z.string(),
  commits: z.array(commit),
  next: z.string().nullable(),
});
export const diffView = z.object({
  from: z.string(),
  to: z.string(),
  files: z.array(z.object({ path: z.string(), status: z.enum(['added', 'modified', 'deleted']) })),
  patch: z.string(),
});
