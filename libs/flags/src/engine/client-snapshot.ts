/**
 * Exports a namespace as the Flipt client snapshot JSON (v2 shape) that Flipt's SDK engines load
 * from `/internal/v1/evaluation/snapshot/namespace/{ns}` and `/client/v2/.../snapshot` with
 * `defaultVariant` always, ENTITY_ID constraints kept, one entry per rule and real names, where
 * Flipt versions differ: SDKs of every version then load it and evaluate it the same way.
 */
import type { Constraint, Flag, Segment } from '../model/schema.js';
import { attachmentText, defaultVariantOf } from './compile.js';
import { constraintValueText } from './constraints.js';
import type { NamespaceSnapshot } from './types.js';

/** A constraint in the client snapshot. */
export interface ClientConstraint {
  type: string;
  property: string;
  operator: string;
  value: string;
}
/** A segment in the client snapshot. */
export interface ClientSegment {
  key: string;
  name: string;
  description: string;
  matchType: string;
  constraints: ClientConstraint[];
}
/** A distribution in the client snapshot. */
export interface ClientDistribution {
  ruleId: string;
  variantKey: string;
  variantAttachment: string;
  rollout: number;
}
/** A rule in the client snapshot. */
export interface ClientRule {
  id: string;
  segments: ClientSegment[];
  rank: number;
  segmentOperator: string;
  distributions: ClientDistribution[];
}
/** A boolean rollout in the client snapshot. */
export type ClientRollout =
  | {
      type: 'THRESHOLD_ROLLOUT_TYPE';
      rank: number;
      threshold: { percentage: number; value: boolean };
    }
  | {
      type: 'SEGMENT_ROLLOUT_TYPE';
      rank: number;
      segment: { value: boolean; segmentOperator: string; segments: ClientSegment[] };
    };
/** A flag in the client snapshot. */
export interface ClientFlag {
  key: string;
  name: string;
  description: string;
  enabled: boolean;
  type: string;
  rules: ClientRule[];
  rollouts: ClientRollout[];
  defaultVariant?: { id: string; key: string; attachment: string };
}
/** Flipt's `EvaluationNamespaceSnapshot` JSON. */
export interface ClientNamespaceSnapshot {
  namespace: { key: string };
  flags: ClientFlag[];
  digest: string;
}

const CONSTRAINT_TYPE: Readonly<Record<Constraint['type'], string>> = {
  STRING_COMPARISON_TYPE: 'STRING_CONSTRAINT_COMPARISON_TYPE',
  NUMBER_COMPARISON_TYPE: 'NUMBER_CONSTRAINT_COMPARISON_TYPE',
  BOOLEAN_COMPARISON_TYPE: 'BOOLEAN_CONSTRAINT_COMPARISON_TYPE',
  DATETIME_COMPARISON_TYPE: 'DATETIME_CONSTRAINT_COMPARISON_TYPE',
  ENTITY_ID_COMPARISON_TYPE: 'ENTITY_ID_CONSTRAINT_COMPARISON_TYPE',
};

/**
 * The shortest decimal that reads back as the same float32: Flipt sends float32 fields this way,
 * and the client engine parses them as f32, so both sides bucket with identical values.
 */
export function float32Number(x: number): number {
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

function segmentJson(s: Segment): ClientSegment {
  return {
    key: s.key,
    name: s.name,
    description: s.description ?? '',
    matchType:
      s.match_type === 'ANY_MATCH_TYPE' ? 'ANY_SEGMENT_MATCH_TYPE' : 'ALL_SEGMENT_MATCH_TYPE',
    constraints: s.constraints.map((c) => ({
      type: CONSTRAINT_TYPE[c.type],
      property: c.property,
      operator: c.operator,
      value: constraintValueText(c.value),
    })),
  };
}

function flagJson(flag: Flag, segments: ReadonlyMap<string, ClientSegment>): ClientFlag {
  const seg = (keys: readonly string[]) =>
    keys.map((k) => segments.get(k)).filter((s): s is ClientSegment => s !== undefined);
  const variants = new Map(flag.variants.map((v) => [v.key, v]));
  const out: ClientFlag = {
    key: flag.key,
    name: flag.name,
    description: flag.description ?? '',
    enabled: flag.enabled,
    type: flag.type,
    rules: [],
    rollouts: [],
  };
  if (flag.type === 'BOOLEAN_FLAG_TYPE') {
    out.rollouts = flag.rollouts.map((r, i): ClientRollout =>
      r.threshold
        ? {
            type: 'THRESHOLD_ROLLOUT_TYPE',
            rank: i + 1,
            threshold: {
              percentage: float32Number(r.threshold.percentage),
              value: r.threshold.value,
            },
          }
        : {
            type: 'SEGMENT_ROLLOUT_TYPE',
            rank: i + 1,
            segment: {
              value: r.segment!.value,
              segmentOperator: r.segment!.operator,
              segments: seg(r.segment!.keys),
            },
          },
    );
  } else {
    out.rules = flag.rules.map((rule, i): ClientRule => {
      const id = `${flag.key}-${i}`;
      return {
        id,
        segments: seg(rule.segment.keys),
        rank: i + 1,
        segmentOperator: rule.segment.operator,
        distributions: rule.distributions.map((d) => ({
          ruleId: id,
          variantKey: d.variant,
          variantAttachment: attachmentText(variants.get(d.variant)),
          rollout: float32Number(d.rollout),
        })),
      };
    });
  }
  const dv = defaultVariantOf(flag);
  if (dv)
    out.defaultVariant = {
      id: `${flag.key}/${dv.key}`,
      key: dv.key,
      attachment: attachmentText(dv),
    };
  return out;
}

/** The client snapshot of one namespace; flags in document order, digest from revision + namespace. */
export function toClientSnapshot(ns: NamespaceSnapshot): ClientNamespaceSnapshot {
  const segments = new Map(ns.model.segments.map((s) => [s.key, segmentJson(s)]));
  return {
    namespace: { key: ns.key },
    flags: ns.model.flags.map((f) => flagJson(f, segments)),
    digest: ns.digest,
  };
}
