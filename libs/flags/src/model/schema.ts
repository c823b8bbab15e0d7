/**
 * The one flag model: zod schemas for Flipt's declarative format (versions 1.0 to 1.6).
 *
 * Parsing a document yields the *canonical* model: every accepted spelling of a construct is
 * normalised to one shape (rule segments become `{keys, operator}`, namespaces become objects,
 * scalar constraint values become strings, optional lists become `[]`). Types are inferred from
 * these schemas; nothing else declares the model. Version-specific rules (what 1.0 forbids, what
 * needs 1.2, …) are checked by the validator, which knows the document version.
 */
import { z } from 'zod';
import { DEFAULT_NAMESPACE } from './namespace.js';

/** Keys of namespaces, flags and segments: Flipt's `^[-_,A-Za-z0-9]+$`. */
export const KEY_PATTERN = /^[-_,A-Za-z0-9]+$/;

/** Format versions this library reads, oldest first. */
export const FORMAT_VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6'] as const;
/** The version written when a document names none. */
export const LATEST_FORMAT_VERSION = '1.6';

/** Constraint comparison types of the file format. */
export const CONSTRAINT_TYPES = [
  'STRING_COMPARISON_TYPE',
  'NUMBER_COMPARISON_TYPE',
  'BOOLEAN_COMPARISON_TYPE',
  'DATETIME_COMPARISON_TYPE',
  'ENTITY_ID_COMPARISON_TYPE',
] as const;
/** A constraint comparison type. */
export type ConstraintType = (typeof CONSTRAINT_TYPES)[number];

const STRING_OPERATORS = [
  'eq',
  'neq',
  'empty',
  'notempty',
  'prefix',
  'suffix',
  'isoneof',
  'isnotoneof',
  'contains',
  'notcontains',
] as const;

/** Operators allowed for each constraint type (Flipt's schema, with `lt` rather than the released `le` typo). */
export const OPERATORS: Readonly<Record<ConstraintType, readonly string[]>> = {
  STRING_COMPARISON_TYPE: STRING_OPERATORS,
  ENTITY_ID_COMPARISON_TYPE: STRING_OPERATORS,
  NUMBER_COMPARISON_TYPE: [
    'eq',
    'neq',
    'present',
    'notpresent',
    'lt',
    'lte',
    'gt',
    'gte',
    'isoneof',
    'isnotoneof',
  ],
  BOOLEAN_COMPARISON_TYPE: ['true', 'false', 'present', 'notpresent'],
  DATETIME_COMPARISON_TYPE: ['eq', 'neq', 'present', 'notpresent', 'lt', 'lte', 'gt', 'gte'],
};

/** Segment match types. */
export const MATCH_TYPES = ['ALL_MATCH_TYPE', 'ANY_MATCH_TYPE'] as const;
/** Segment operators of rules and rollouts. */
export const SEGMENT_OPERATORS = ['OR_SEGMENT_OPERATOR', 'AND_SEGMENT_OPERATOR'] as const;
/** Flag types. */
export const FLAG_TYPES = ['VARIANT_FLAG_TYPE', 'BOOLEAN_FLAG_TYPE'] as const;

/** Any JSON value (attachments, metadata). */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON value; objects are plain records. */
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);

const keySchema = z.string().regex(KEY_PATTERN, {
  message: 'must match ^[-_,A-Za-z0-9]+$ (letters, digits, "-", "_" and ",")',
});
const nameSchema = z.string().min(1, { message: 'must not be empty' });
/** Descriptions: v2 accepts `null`; canonical form drops it. */
const descriptionSchema = z
  .string()
  .nullish()
  .transform((d) => d ?? undefined);

/** A constraint value as written: a string, a scalar, or (1.6) a list for isoneof/isnotoneof. */
const constraintValueSchema = z
  .union([
    z.string(),
    z.number(),
    z.boolean(),
    z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  ])
  .nullish();

/** Canonical constraint value: scalars become strings (as Flipt v2 does); 1.6 lists stay lists. */
function canonicalConstraintValue(
  v: z.infer<typeof constraintValueSchema>,
): string | Array<string | number> | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v))
    return v.map((x) => (x === null ? '' : typeof x === 'boolean' ? String(x) : x));
  return typeof v === 'string' ? v : String(v);
}

/** A segment constraint. */
export const constraintSchema = z
  .strictObject({
    type: z.enum(CONSTRAINT_TYPES),
    property: nameSchema,
    operator: z.string().min(1),
    value: constraintValueSchema.transform(canonicalConstraintValue),
    description: descriptionSchema,
  })
  .superRefine((c, ctx) => {
    if (!OPERATORS[c.type].includes(c.operator)) {
      const hint =
        c.operator === 'le'
          ? 'write lt: "le" is a typo in released Flipt schemas and no engine evaluates it'
          : `use one of ${OPERATORS[c.type].join(', ')}`;
      ctx.addIssue({
        code: 'custom',
        path: ['operator'],
        message: `operator "${c.operator}" is not valid for ${c.type} (${hint})`,
      });
    }
  });
/** A segment constraint (canonical). */
export type Constraint = z.output<typeof constraintSchema>;

/** A segment: constraints matched ALL or ANY. */
export const segmentSchema = z.strictObject({
  key: keySchema,
  name: nameSchema,
  description: descriptionSchema,
  match_type: z.enum(MATCH_TYPES),
  constraints: z
    .array(constraintSchema)
    .nullish()
    .transform((c) => c ?? []),
});
/** A segment (canonical). */
export type Segment = z.output<typeof segmentSchema>;

/** A variant of a variant flag. */
export const variantSchema = z.strictObject({
  key: z.string().min(1, { message: 'must not be empty' }),
  name: nameSchema.optional(),
  description: descriptionSchema,
  attachment: z
    .union([z.record(z.string(), jsonValueSchema), z.array(jsonValueSchema)], {
      message: 'must be an object or a list (scalars are not allowed)',
    })
    .nullish()
    .transform((a) => a ?? undefined),
  default: z.boolean().optional(),
});
/** A variant (canonical). */
export type Variant = z.output<typeof variantSchema>;

const segmentOperatorSchema = z.enum(SEGMENT_OPERATORS);

/** Canonical segment reference of a rule: the keys and how they combine. */
export interface SegmentRef {
  keys: string[];
  operator: (typeof SEGMENT_OPERATORS)[number];
}

/** The object form of a rule's segment reference. */
export const ruleSegmentObjectSchema = z.strictObject({
  key: keySchema.optional(),
  keys: z.array(z.string().min(1)).optional(),
  operator: segmentOperatorSchema.optional(),
});

/**
 * A rule's `segment`: a key string, a list of keys (v2), or `{key | keys, operator}`.
 * The string form is what 1.0 and 1.1 documents use; `keys` needs 1.2 (checked by the validator).
 */
const ruleSegmentSchema = z
  .union([keySchema, z.array(z.string().min(1)).min(1), ruleSegmentObjectSchema], {
    message: 'must be a segment key, a list of segment keys, or {keys, operator}',
  })
  .superRefine((s, ctx) => {
    if (typeof s === 'object' && !Array.isArray(s)) {
      if (s.key !== undefined && s.keys !== undefined)
        ctx.addIssue({ code: 'custom', message: 'set either key or keys, not both' });
      if (s.key === undefined && (s.keys === undefined || s.keys.length === 0))
        ctx.addIssue({ code: 'custom', message: 'name at least one segment in key or keys' });
    }
  })
  .transform((s): SegmentRef => {
    if (typeof s === 'string') return { keys: [s], operator: 'OR_SEGMENT_OPERATOR' };
    if (Array.isArray(s)) return { keys: s, operator: 'OR_SEGMENT_OPERATOR' };
    return {
      keys: s.key !== undefined ? [s.key] : (s.keys ?? []),
      operator: s.operator ?? 'OR_SEGMENT_OPERATOR',
    };
  });

/** A share of a rule's traffic for one variant. */
export const distributionSchema = z.strictObject({
  variant: z.string().min(1, { message: 'must name a variant' }),
  rollout: z
    .number()
    .min(0, { message: 'must be between 0 and 100' })
    .max(100, { message: 'must be between 0 and 100' }),
});
/** A distribution (canonical). */
export type Distribution = z.output<typeof distributionSchema>;

/** A targeting rule of a variant flag. Rank is accepted but order in the list decides. */
export const ruleSchema = z.strictObject({
  segment: ruleSegmentSchema,
  rank: z.number().int().optional(),
  distributions: z
    .array(distributionSchema)
    .nullish()
    .transform((d) => d ?? []),
});
/** A rule (canonical). */
export type Rule = z.output<typeof ruleSchema>;

/** Canonical segment rollout of a boolean flag. */
export interface SegmentRollout extends SegmentRef {
  value: boolean;
}

/** The segment form of a boolean flag rollout, as written. */
export const rolloutSegmentObjectSchema = z.strictObject({
  key: keySchema.optional(),
  keys: z.array(z.string().min(1)).optional(),
  operator: segmentOperatorSchema.optional(),
  value: z.boolean().optional(),
});

/** The threshold form of a boolean flag rollout, as written. */
export const thresholdObjectSchema = z.strictObject({
  percentage: z
    .number({ message: 'must be a number' })
    .min(0, { message: 'must be between 0 and 100' })
    .max(100, { message: 'must be between 0 and 100' }),
  value: z.boolean().optional(),
});

/** A rollout of a boolean flag: exactly one of `segment` or `threshold`. */
export const rolloutSchema = z
  .strictObject({
    description: descriptionSchema,
    segment: rolloutSegmentObjectSchema
      .superRefine((s, ctx) => {
        if (s.key !== undefined && s.keys !== undefined)
          ctx.addIssue({ code: 'custom', message: 'set either key or keys, not both' });
        if (s.key === undefined && (s.keys === undefined || s.keys.length === 0))
          ctx.addIssue({ code: 'custom', message: 'name at least one segment in key or keys' });
      })
      .transform((s): SegmentRollout => ({
        keys: s.key !== undefined ? [s.key] : (s.keys ?? []),
        operator: s.operator ?? 'OR_SEGMENT_OPERATOR',
        value: s.value ?? false,
      }))
      .optional(),
    threshold: thresholdObjectSchema
      .transform((t) => ({ percentage: t.percentage, value: t.value ?? false }))
      .optional(),
  })
  .superRefine((r, ctx) => {
    if ((r.segment === undefined) === (r.threshold === undefined))
      ctx.addIssue({
        code: 'custom',
        message: 'a rollout needs exactly one of segment or threshold',
      });
  });
/** A rollout (canonical). */
export type Rollout = z.output<typeof rolloutSchema>;

/** A flag: variant flags use variants and rules; boolean flags use rollouts. */
export const flagSchema = z
  .strictObject({
    key: keySchema,
    name: nameSchema,
    description: descriptionSchema,
    enabled: z
      .boolean()
      .optional()
      .transform((e) => e ?? false),
    type: z
      .enum(FLAG_TYPES)
      .optional()
      .transform((t) => t ?? 'VARIANT_FLAG_TYPE'),
    metadata: z
      .record(z.string(), jsonValueSchema)
      .nullish()
      .transform((m) => m ?? undefined),
    variants: z
      .array(variantSchema)
      .nullish()
      .transform((v) => v ?? []),
    rules: z
      .array(ruleSchema)
      .nullish()
      .transform((r) => r ?? []),
    rollouts: z
      .array(rolloutSchema)
      .nullish()
      .transform((r) => r ?? []),
  })
  .superRefine((f, ctx) => {
    if (f.type === 'VARIANT_FLAG_TYPE' && f.rollouts.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['rollouts'],
        message: 'rollouts are only allowed on BOOLEAN_FLAG_TYPE flags',
      });
  });
/** A flag (canonical). */
export type Flag = z.output<typeof flagSchema>;
/** A flag type. */
export type FlagType = Flag['type'];

/** Canonical namespace of a document. */
export interface NamespaceRef {
  key: string;
  name?: string | undefined;
  description?: string | undefined;
}

export { DEFAULT_NAMESPACE };

/** The object form of a document's namespace (format 1.4 and later). */
export const namespaceObjectSchema = z.strictObject({
  key: keySchema,
  name: z.string().optional(),
  description: descriptionSchema,
});

const namespaceSchema = z
  .union([keySchema, namespaceObjectSchema], {
    message: 'must be a namespace key or {key, name, description}',
  })
  .transform((n): NamespaceRef => (typeof n === 'string' ? { key: n } : n));

/** One Flipt document (one YAML document or JSON value in a feature file). */
export const documentSchema = z.strictObject({
  version: z
    .enum(FORMAT_VERSIONS, { message: `must be one of ${FORMAT_VERSIONS.join(', ')}` })
    .optional(),
  namespace: namespaceSchema
    .optional()
    .transform((n): NamespaceRef => n ?? { key: DEFAULT_NAMESPACE }),
  flags: z
    .array(flagSchema)
    .nullish()
    .transform((f) => f ?? []),
  segments: z
    .array(segmentSchema)
    .nullish()
    .transform((s) => s ?? []),
});
/** A document (canonical). */
export type Document = z.output<typeof documentSchema>;
/** A document as written in a file, before canonicalisation. */
export type DocumentInput = z.input<typeof documentSchema>;

/** A whole environment: every namespace with its merged flags and segments, in document order. */
export interface Environment {
  namespaces: NamespaceModel[];
}

/** A namespace after merging every document that declares it. */
export interface NamespaceModel {
  key: string;
  name: string;
  description?: string | undefined;
  flags: Flag[];
  segments: Segment[];
}

/** Fields each closed object of the format accepts, for "unknown field" hints. */
export const OBJECT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  document: Object.keys(documentSchema.shape),
  namespace: Object.keys(namespaceObjectSchema.shape),
  flag: Object.keys(flagSchema.shape),
  variant: Object.keys(variantSchema.shape),
  rule: Object.keys(ruleSchema.shape),
  ruleSegment: Object.keys(ruleSegmentObjectSchema.shape),
  distribution: Object.keys(distributionSchema.shape),
  rollout: Object.keys(rolloutSchema.shape),
  rolloutSegment: Object.keys(rolloutSegmentObjectSchema.shape),
  threshold: Object.keys(thresholdObjectSchema.shape),
  segment: Object.keys(segmentSchema.shape),
  constraint: Object.keys(constraintSchema.shape),
};
