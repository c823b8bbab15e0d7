import { z } from 'zod';
import { KEY_PATTERN } from '@switchyard/flags';
import { envKey } from '../environments/environments.dto.js';

const key = z.string().min(1).max(200).regex(KEY_PATTERN, 'letters, digits, "-", "_" and ","');

export const playgroundBody = z.strictObject({
  environments: z.array(envKey).min(1).max(20).describe('environments to evaluate in'),
  flags: z
    .array(z.strictObject({ namespace: key, key }))
    .min(1)
    .max(100)
    .optional()
    .describe('flags to evaluate; default: every flag of `namespace`'),
  namespace: key
    .optional()
    .describe('namespace whose flags to evaluate when `flags` is absent; default "default"'),
  entityId: z.string().max(1000).describe('the entity id (user, account…) to bucket by'),
  context: z
    .record(z.string().max(200), z.string().max(4000))
    .refine((c) => Object.keys(c).length <= 100, 'at most 100 context keys')
    .default({})
    .describe('context values (strings)'),
});
export type PlaygroundBody = z.infer<typeof playgroundBody>;

const constraintTrace = z.object({
  type: z.string(),
  property: z.string().nullable().describe('null: the entity id'),
  operator: z.string(),
  value: z.string(),
  seen: z.string().describe('the value read from the context or the entity id'),
  matched: z.boolean(),
});
const segmentTrace = z.object({
  key: z.string(),
  matchType: z.enum(['ALL_MATCH_TYPE', 'ANY_MATCH_TYPE']),
  matched: z.boolean(),
  constraints: z.array(constraintTrace),
});
const stepTrace = z.object({
  index: z.number(),
  kind: z.enum(['rule', 'segment-rollout', 'threshold-rollout']),
  segmentOperator: z.enum(['OR_SEGMENT_OPERATOR', 'AND_SEGMENT_OPERATOR']).optional(),
  segments: z.array(segmentTrace),
  matched: z.boolean(),
  bucket: z.number().optional().describe('variant bucket, 0..999'),
  distributions: z
    .array(
      z.object({ variantKey: z.string(), rollout: z.number(), from: z.number(), to: z.number() }),
    )
    .optional(),
  variantKey: z.string().optional(),
  percentage: z.number().optional(),
  thresholdBucket: z.number().optional().describe('threshold bucket, 0..99'),
  value: z.boolean().optional(),
  note: z.string(),
});
const flagResult = z.object({
  namespace: z.string(),
  key: z.string(),
  found: z.boolean(),
  error: z.string().optional(),
  type: z.enum(['VARIANT_FLAG_TYPE', 'BOOLEAN_FLAG_TYPE']).optional(),
  enabled: z.boolean().optional().describe('the flag is enabled'),
  reason: z.string().optional(),
  match: z.boolean().optional(),
  variantKey: z.string().optional(),
  variantAttachment: z.string().optional(),
  value: z.boolean().optional().describe('boolean flags: the answer'),
  segmentKeys: z.array(z.string()).optional(),
  summary: z.string().optional(),
  steps: z.array(stepTrace).optional(),
});
export const playgroundResult = z.object({
  environments: z.array(
    z.object({
      environment: z.string(),
      revision: z.string().optional(),
      error: z.string().optional().describe('the environment could not be evaluated'),
      flags: z.array(flagResult),
    }),
  ),
});
export type PlaygroundResult = z.infer<typeof playgroundResult>;
