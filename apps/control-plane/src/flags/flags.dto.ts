import { z } from 'zod';
import {
  flagSchema,
  KEY_PATTERN,
  rolloutSchema,
  ruleSchema,
  segmentSchema,
} from '@switchyard/flags';
import { text } from '../common/dto.js';
import { envParams } from '../environments/environments.dto.js';

const objectKey = z
  .string()
  .min(1)
  .max(200)
  .regex(KEY_PATTERN, 'letters, digits, "-", "_" and ","');

export const nsParams = envParams.extend({ ns: objectKey });
export const flagParams = nsParams.extend({ flag: objectKey });
export const segmentParams = nsParams.extend({ segment: objectKey });
export type NsParams = z.infer<typeof nsParams>;
export type FlagParams = z.infer<typeof flagParams>;
export type SegmentParams = z.infer<typeof segmentParams>;

/** Mutations write to the environment's branch, or to an open proposal's branch. */
export const writeQuery = z.strictObject({
  proposal: z
    .uuid()
    .optional()
    .describe('write onto this open proposal instead (required on protected environments)'),
  message: text(200)
    .pipe(z.string().min(1))
    .optional()
    .describe('the commit summary of a flag or segment edit (defaults to a description of it)'),
});
export type WriteQuery = z.infer<typeof writeQuery>;

/** Server-side search and filters of the flag list (the console keeps them in its URL). */
export const listFlagsQuery = z.strictObject({
  q: text(200).optional().describe('case-insensitive text in the key, name or description'),
  type: z.enum(['VARIANT_FLAG_TYPE', 'BOOLEAN_FLAG_TYPE']).optional(),
  enabled: z.enum(['true', 'false']).optional(),
  metadata: text(400)
    .regex(/^[^=]+(=.*)?$/, 'key or key=value')
    .optional()
    .describe('"key" (present) or "key=value" (a string, number or boolean metadata value)'),
});
export type ListFlagsQuery = z.infer<typeof listFlagsQuery>;

export const createNamespaceBody = z.strictObject({
  key: objectKey,
  name: text(200).pipe(z.string().min(1)),
  description: text(2000).optional(),
});
export type CreateNamespaceBody = z.infer<typeof createNamespaceBody>;
export const updateNamespaceBody = z.strictObject({
  name: text(200).pipe(z.string().min(1)).optional(),
  description: text(2000).optional(),
});
export type UpdateNamespaceBody = z.infer<typeof updateNamespaceBody>;

export const flagBody = flagSchema;
export const segmentBody = segmentSchema;
export const rulesBody = z.strictObject({ rules: z.array(ruleSchema).max(1000) });
export type RulesBody = z.infer<typeof rulesBody>;
export const rolloutsBody = z.strictObject({ rollouts: z.array(rolloutSchema).max(1000) });
export type RolloutsBody = z.infer<typeof rolloutsBody>;

const warning = z.object({
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().optional(),
  path: z.string().optional(),
});
/** Every accepted write: the new revision (also the ETag) and validation warnings. */
export const writeResult = z.object({ revision: z.string(), warnings: z.array(warning) });

/** One changed field (libs/flags FieldChange): where, what happened, value before and after. */
const fieldChange = z.object({
  kind: z.enum(['added', 'removed', 'changed', 'moved']),
  path: z
    .array(z.union([z.string(), z.number(), z.object({ id: z.string() })]))
    .describe('field path: object fields, list positions, or {id} of a keyed list item'),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
/** The field-level changes of one flag, segment or namespace (libs/flags EntityChange). */
export const entityChangeView = z.object({
  namespace: z.string(),
  kind: z.enum(['flag', 'segment', 'namespace']),
  key: z.string(),
  status: z.enum(['added', 'removed', 'modified']),
  changes: z.array(fieldChange),
});

const plain = z.record(z.string(), z.unknown());
export const namespaceView = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string().optional(),
});
export const namespaceList = z.object({ revision: z.string(), namespaces: z.array(namespaceView) });
export const flagList = z.object({ revision: z.string(), flags: z.array(plain) });
export const flagView = z.object({ revision: z.string(), flag: plain });
export const segmentList = z.object({ revision: z.string(), segments: z.array(plain) });
export const segmentView = z.object({ revision: z.string(), segment: plain });
