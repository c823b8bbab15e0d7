/**
 * Explain mode: evaluates one request against one flag and records why, step by step (each rule or
 * rollout, its segments, every constraint with the value it saw, the bucket and the distribution
 * ranges). It lives apart from `evaluate.ts` on purpose: the hot path stays free of tracing, and
 * explain reuses the same compiled predicates and bucketing so both always agree (a property test
 * checks that explain's final answer equals evaluate's).
 */
import { errors } from '../errors.js';
import { DEFAULT_NAMESPACE } from '../model/namespace.js';
import type { Constraint, Flag, Segment } from '../model/schema.js';
import { inThreshold, pickDistribution, variantBucket } from './bucket.js';
import type { CompiledFlag, CompiledSegment } from './compile.js';
import { constraintValueText } from './constraints.js';
import { crc32 } from './crc32.js';
import type {
  BooleanEvaluation,
  EnvironmentSnapshot,
  EvaluationReason,
  EvaluationRequest,
  NamespaceSnapshot,
  VariantEvaluation,
} from './types.js';

/** One constraint as evaluated: what it tests and the value it saw. */
export interface ConstraintTrace {
  type: Constraint['type'];
  /** The context property read, or `null` for an entity id constraint. */
  property: string | null;
  operator: string;
  /** The constraint's value as text (`""` when it has none). */
  value: string;
  /** The value read from the context (`""` when the key is missing) or the entity id. */
  seen: string;
  matched: boolean;
}

/** One segment as evaluated. */
export interface SegmentTrace {
  key: string;
  matchType: 'ALL_MATCH_TYPE' | 'ANY_MATCH_TYPE';
  matched: boolean;
  constraints: ConstraintTrace[];
}

/** One distribution of a variant rule: the buckets `[from, to)` it owns, out of 1000. */
export interface DistributionTrace {
  variantKey: string;
  /** The share as written (percent). */
  rollout: number;
  from: number;
  to: number;
}

/** One rule (variant flags) or rollout (boolean flags), in evaluation order. */
export interface StepTrace {
  /** 1-based position among the flag's rules or rollouts. */
  index: number;
  kind: 'rule' | 'segment-rollout' | 'threshold-rollout';
  /** For rules and segment rollouts: how the segments combine. */
  segmentOperator?: 'OR_SEGMENT_OPERATOR' | 'AND_SEGMENT_OPERATOR';
  segments: SegmentTrace[];
  /** True when this step decided the answer. */
  matched: boolean;
  /** Variant rules: the entity's bucket (0..999) and the ranges of the distributions. */
  bucket?: number;
  distributions?: DistributionTrace[];
  /** Variant rules: the variant the bucket fell into, if any. */
  variantKey?: string;
  /** Threshold rollouts: the percentage and the entity's bucket (0..99; matched iff bucket < percentage). */
  percentage?: number;
  thresholdBucket?: number;
  /** Boolean rollouts: the value served when this rollout matches. */
  value?: boolean;
  /** A sentence saying what happened at this step. */
  note: string;
}

/** The full explanation of one evaluation. */
export interface Explanation {
  namespaceKey: string;
  flagKey: string;
  flagType: Flag['type'];
  flagEnabled: boolean;
  reason: EvaluationReason;
  /** The answer, exactly as `evaluateVariant` / `evaluateBoolean` give it. */
  variant?: VariantEvaluation;
  boolean?: BooleanEvaluation;
  /** The steps evaluated, in order; evaluation stops at the first matching one. */
  steps: StepTrace[];
  /** A sentence saying why the answer is what it is. */
  summary: string;
}

type Context = Readonly<Record<string, string>> | undefined;

// Same reading rule as the evaluator: a missing key (or an inherited property) reads as "".
function read(ctx: Context, key: string): string {
  if (ctx === undefined) return '';
  const v = ctx[key];
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(ctx, key) ? v : '';
}

function traceSegment(
  s: CompiledSegment,
  model: Segment | undefined,
  ctx: Context,
  entityId: string,
): SegmentTrace {
  const constraints: ConstraintTrace[] = s.tests.map((test, i) => {
    const prop = s.properties[i]!;
    const seen = prop === null ? entityId : read(ctx, prop);
    const c = model?.constraints[i];
    return {
      type: c?.type ?? 'STRING_COMPARISON_TYPE',
      property: prop,
      operator: c?.operator ?? '',
      value: constraintValueText(c?.value),
      seen,
      matched: test(seen),
    };
  });
  // Constraints are pure, so evaluating all of them (for the trace) gives the evaluator's result.
  const matched =
    constraints.length === 0 ||
    (s.any ? constraints.some((c) => c.matched) : constraints.every((c) => c.matched));
  return {
    key: s.key,
    matchType: s.any ? 'ANY_MATCH_TYPE' : 'ALL_MATCH_TYPE',
    matched,
    constraints,
  };
}

function traceSegments(
  ns: NamespaceSnapshot,
  segments: readonly CompiledSegment[],
  and: boolean,
  req: EvaluationRequest,
): { traces: SegmentTrace[]; keys: string[] | null } {
  const traces = segments.map((s) =>
    traceSegment(s, ns.segments.get(s.key), req.context, req.entityId),
  );
  const keys = traces.filter((t) => t.matched).map((t) => t.key);
  const ok = and ? keys.length === segments.length : keys.length > 0;
  return { traces, keys: ok ? keys : null };
}

function segmentsNote(keys: string[] | null, and: boolean): string {
  if (keys === null) return and ? 'not every segment matched (AND)' : 'no segment matched (OR)';
  return `segments matched: ${keys.join(', ')}`;
}

function explainVariant(
  ns: NamespaceSnapshot,
  flag: Extract<CompiledFlag, { kind: 'VARIANT_FLAG_TYPE' }>,
  model: Flag | undefined,
  req: EvaluationRequest,
): Explanation {
  const res: VariantEvaluation = {
    flagKey: flag.key,
    match: false,
    reason: flag.hasDefault ? 'DEFAULT_EVALUATION_REASON' : 'UNKNOWN_EVALUATION_REASON',
    variantKey: flag.defaultVariantKey,
    variantAttachment: flag.defaultAttachment,
    segmentKeys: [],
  };
  const out = (steps: StepTrace[], summary: string): Explanation => ({
    namespaceKey: ns.key,
    flagKey: flag.key,
    flagType: 'VARIANT_FLAG_TYPE',
    flagEnabled: flag.enabled,
    reason: res.reason,
    variant: res,
    steps,
    summary,
  });
  const fallback = flag.hasDefault
    ? `the default variant "${flag.defaultVariantKey}" is served`
    : 'no variant is served (the flag has no default variant)';
  if (!flag.enabled) {
    res.reason = 'FLAG_DISABLED_EVALUATION_REASON';
    return out([], `The flag is disabled: ${fallback}.`);
  }
  const steps: StepTrace[] = [];
  for (const [i, rule] of flag.rules.entries()) {
    const { traces, keys } = traceSegments(ns, rule.segments, rule.and, req);
    const step: StepTrace = {
      index: i + 1,
      kind: 'rule',
      segmentOperator: rule.and ? 'AND_SEGMENT_OPERATOR' : 'OR_SEGMENT_OPERATOR',
      segments: traces,
      matched: false,
      note: segmentsNote(keys, rule.and),
    };
    steps.push(step);
    if (keys === null) continue;
    res.segmentKeys = keys;
    if (rule.variantKeys.length === 0) {
      step.matched = true;
      step.note += `; the rule has no distributions, so ${fallback}`;
      res.match = true;
      res.reason = 'MATCH_EVALUATION_REASON';
      return out(steps, `Rule ${i + 1} matched without distributions: ${fallback}.`);
    }
    const bucket = variantBucket(flag.key, req.entityId);
    const rollouts = (model?.rules[i]?.distributions ?? [])
      .filter((d) => Math.fround(d.rollout) > 0)
      .map((d) => d.rollout);
    step.bucket = bucket;
    step.distributions = rule.variantKeys.map((variantKey, j) => ({
      variantKey,
      rollout: rollouts[j] ?? 0,
      from: j === 0 ? 0 : rule.boundaries[j - 1]!,
      to: rule.boundaries[j]!,
    }));
    const idx = pickDistribution(rule.boundaries, bucket);
    if (idx < 0) {
      step.note += `; bucket ${bucket} falls in no distribution, so ${fallback}`;
      return out(
        steps,
        `Rule ${i + 1} matched but bucket ${bucket} is in no distribution: ${fallback}.`,
      );
    }
    step.matched = true;
    step.variantKey = rule.variantKeys[idx]!;
    step.note += `; bucket ${bucket} of 1000 falls in variant "${step.variantKey}"`;
    res.match = true;
    res.reason = 'MATCH_EVALUATION_REASON';
    res.variantKey = step.variantKey;
    res.variantAttachment = rule.attachments[idx]!;
    return out(
      steps,
      `Rule ${i + 1} matched and bucket ${bucket} selects variant "${step.variantKey}".`,
    );
  }
  return out(steps, `No rule matched: ${fallback}.`);
}

function explainBoolean(
  ns: NamespaceSnapshot,
  flag: Extract<CompiledFlag, { kind: 'BOOLEAN_FLAG_TYPE' }>,
  req: EvaluationRequest,
): Explanation {
  const steps: StepTrace[] = [];
  const out = (res: BooleanEvaluation, summary: string): Explanation => ({
    namespaceKey: ns.key,
    flagKey: flag.key,
    flagType: 'BOOLEAN_FLAG_TYPE',
    flagEnabled: flag.enabled,
    reason: res.reason,
    boolean: res,
    steps,
    summary,
  });
  for (const [i, r] of flag.rollouts.entries()) {
    if (r.threshold) {
      const bucket = crc32(req.entityId, flag.key) % 100;
      const matched = inThreshold(flag.key, req.entityId, r.percentage);
      steps.push({
        index: i + 1,
        kind: 'threshold-rollout',
        segments: [],
        matched,
        percentage: r.percentage,
        thresholdBucket: bucket,
        value: r.value,
        note: `bucket ${bucket} of 100 is ${matched ? 'below' : 'not below'} ${r.percentage}%`,
      });
      if (matched)
        return out(
          {
            flagKey: flag.key,
            enabled: r.value,
            reason: 'MATCH_EVALUATION_REASON',
            segmentKeys: [],
          },
          `Threshold rollout ${i + 1} matched (bucket ${bucket} < ${r.percentage}%): ${r.value}.`,
        );
      continue;
    }
    const { traces, keys } = traceSegments(ns, r.segments, r.and, req);
    steps.push({
      index: i + 1,
      kind: 'segment-rollout',
      segmentOperator: r.and ? 'AND_SEGMENT_OPERATOR' : 'OR_SEGMENT_OPERATOR',
      segments: traces,
      matched: keys !== null,
      value: r.value,
      note: segmentsNote(keys, r.and),
    });
    if (keys !== null)
      return out(
        {
          flagKey: flag.key,
          enabled: r.value,
          reason: 'MATCH_EVALUATION_REASON',
          segmentKeys: keys,
        },
        `Segment rollout ${i + 1} matched: ${r.value}.`,
      );
  }
  return out(
    {
      flagKey: flag.key,
      enabled: flag.enabled,
      reason: 'DEFAULT_EVALUATION_REASON',
      segmentKeys: [],
    },
    `No rollout matched: the flag's default (enabled = ${flag.enabled}) is served.`,
  );
}

/**
 * Explains how `req` evaluates against its flag, whatever the flag's type. Throws NotFound for an
 * unknown namespace or flag, like the evaluators.
 */
export function explainEvaluation(
  snapshot: EnvironmentSnapshot,
  req: EvaluationRequest,
): Explanation {
  const nsKey = req.namespaceKey || DEFAULT_NAMESPACE;
  const ns = snapshot.namespaces.get(nsKey);
  if (!ns) throw errors.notFound(`namespace "${nsKey}" not found`);
  const flag = ns.compiled.get(req.flagKey);
  if (!flag) throw errors.notFound(`flag "${ns.key}/${req.flagKey}" not found`);
  return flag.kind === 'VARIANT_FLAG_TYPE'
    ? explainVariant(ns, flag, ns.flags.get(flag.key), req)
    : explainBoolean(ns, flag, req);
}
