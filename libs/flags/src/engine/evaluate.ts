/**
 * Evaluation over an immutable snapshot: pure, no I/O, no clock. Semantics follow Flipt's client
 * engine (the Rust engine in every SDK), so server and client give the same answer: the first matching rule wins, boolean flags
 * evaluate rollouts even when disabled and fall through to `enabled`, unknown flags are NotFound.
 */
import { errors } from '../errors.js';
import { DEFAULT_NAMESPACE } from '../model/namespace.js';
import { inThreshold, pickDistribution, variantBucket } from './bucket.js';
import type { CompiledFlag, CompiledSegment } from './compile.js';
import type {
  BatchItem,
  BooleanEvaluation,
  EnvironmentSnapshot,
  EvaluationRequest,
  NamespaceSnapshot,
  VariantEvaluation,
} from './types.js';

type Context = Readonly<Record<string, string>> | undefined;

/** Reads a context value; missing keys (and inherited properties such as `__proto__`) read as `""`. */
function read(ctx: Context, key: string): string {
  if (ctx === undefined) return '';
  const v = ctx[key];
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(ctx, key) ? v : '';
}

function segmentMatches(s: CompiledSegment, ctx: Context, entityId: string): boolean {
  const n = s.tests.length;
  if (n === 0) return true;
  for (let i = 0; i < n; i++) {
    const prop = s.properties[i]!;
    const ok = s.tests[i]!(prop === null ? entityId : read(ctx, prop));
    if (ok && s.any) return true;
    if (!ok && !s.any) return false;
  }
  return !s.any;
}

/** Matched segment keys for a rule/rollout, or null when its operator is not satisfied. */
function matchSegments(
  segments: readonly CompiledSegment[],
  and: boolean,
  ctx: Context,
  entityId: string,
): string[] | null {
  const keys: string[] = [];
  for (const s of segments) if (segmentMatches(s, ctx, entityId)) keys.push(s.key);
  if (and ? keys.length !== segments.length : keys.length === 0) return null;
  return keys;
}

function namespaceOf(snapshot: EnvironmentSnapshot, key: string | undefined): NamespaceSnapshot {
  const nsKey = key || DEFAULT_NAMESPACE;
  const ns = snapshot.namespaces.get(nsKey);
  if (!ns) throw errors.notFound(`namespace "${nsKey}" not found`);
  return ns;
}

function lookup(snapshot: EnvironmentSnapshot, req: EvaluationRequest): CompiledFlag {
  const ns = namespaceOf(snapshot, req.namespaceKey);
  const flag = ns.compiled.get(req.flagKey);
  if (!flag) throw errors.notFound(`flag "${ns.key}/${req.flagKey}" not found`);
  return flag;
}

function variantOf(
  flag: Extract<CompiledFlag, { kind: 'VARIANT_FLAG_TYPE' }>,
  req: EvaluationRequest,
): VariantEvaluation {
  const res: VariantEvaluation = {
    flagKey: flag.key,
    match: false,
    reason: flag.hasDefault ? 'DEFAULT_EVALUATION_REASON' : 'UNKNOWN_EVALUATION_REASON',
    variantKey: flag.defaultVariantKey,
    variantAttachment: flag.defaultAttachment,
    segmentKeys: [],
  };
  if (!flag.enabled) {
    res.reason = 'FLAG_DISABLED_EVALUATION_REASON';
    return res;
  }
  const entityId = req.entityId;
  for (const rule of flag.rules) {
    const keys = matchSegments(rule.segments, rule.and, req.context, entityId);
    if (keys === null) continue;
    res.segmentKeys = keys;
    if (rule.variantKeys.length === 0) {
      res.match = true;
      res.reason = 'MATCH_EVALUATION_REASON';
      return res;
    }
    const idx = pickDistribution(rule.boundaries, variantBucket(flag.key, entityId));
    if (idx < 0) return res;
    res.match = true;
    res.reason = 'MATCH_EVALUATION_REASON';
    res.variantKey = rule.variantKeys[idx]!;
    res.variantAttachment = rule.attachments[idx]!;
    return res;
  }
  return res;
}

function booleanOf(
  flag: Extract<CompiledFlag, { kind: 'BOOLEAN_FLAG_TYPE' }>,
  req: EvaluationRequest,
): BooleanEvaluation {
  for (const r of flag.rollouts) {
    if (r.threshold) {
      if (inThreshold(flag.key, req.entityId, r.percentage))
        return {
          flagKey: flag.key,
          enabled: r.value,
          reason: 'MATCH_EVALUATION_REASON',
          segmentKeys: [],
        };
      continue;
    }
    const keys = matchSegments(r.segments, r.and, req.context, req.entityId);
    if (keys !== null)
      return {
        flagKey: flag.key,
        enabled: r.value,
        reason: 'MATCH_EVALUATION_REASON',
        segmentKeys: keys,
      };
  }
  return {
    flagKey: flag.key,
    enabled: flag.enabled,
    reason: 'DEFAULT_EVALUATION_REASON',
    segmentKeys: [],
  };
}

/** Evaluates a variant flag. Throws NotFound for an unknown namespace or flag, InvalidArgument for a boolean flag. */
export function evaluateVariant(
  snapshot: EnvironmentSnapshot,
  req: EvaluationRequest,
): VariantEvaluation {
  const flag = lookup(snapshot, req);
  if (flag.kind !== 'VARIANT_FLAG_TYPE')
    throw errors.invalidArgument(`flag type ${flag.kind} invalid`);
  return variantOf(flag, req);
}

/** Evaluates a boolean flag. Throws NotFound for an unknown namespace or flag, InvalidArgument for a variant flag. */
export function evaluateBoolean(
  snapshot: EnvironmentSnapshot,
  req: EvaluationRequest,
): BooleanEvaluation {
  const flag = lookup(snapshot, req);
  if (flag.kind !== 'BOOLEAN_FLAG_TYPE')
    throw errors.invalidArgument(`flag type ${flag.kind} invalid`);
  return booleanOf(flag, req);
}

/**
 * Evaluates many flags by their own type. An unknown flag or namespace is an error item, never a
 * failed batch: one stale key in a client's list must not cost it every other answer.
 */
export function evaluateBatch(
  snapshot: EnvironmentSnapshot,
  requests: readonly EvaluationRequest[],
): BatchItem[] {
  return requests.map((req): BatchItem => {
    const ns = snapshot.namespaces.get(req.namespaceKey || DEFAULT_NAMESPACE);
    const flag = ns?.compiled.get(req.flagKey);
    if (!flag)
      return {
        type: 'ERROR_EVALUATION_RESPONSE_TYPE',
        errorResponse: {
          flagKey: req.flagKey,
          namespaceKey: req.namespaceKey ?? '',
          reason: 'NOT_FOUND_ERROR_EVALUATION_REASON',
        },
      };
    return flag.kind === 'BOOLEAN_FLAG_TYPE'
      ? { type: 'BOOLEAN_EVALUATION_RESPONSE_TYPE', booleanResponse: booleanOf(flag, req) }
      : { type: 'VARIANT_EVALUATION_RESPONSE_TYPE', variantResponse: variantOf(flag, req) };
  });
}
