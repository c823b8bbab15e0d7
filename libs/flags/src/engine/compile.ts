/**
 * Compiles a validated environment into an immutable snapshot: segments become predicate lists,
 * rules get their bucket boundaries precomputed, attachments their JSON text. Evaluation then
 * does no parsing and allocates only its result.
 */
import { errors } from '../errors.js';
import type { Environment, Flag, NamespaceModel, Segment, Variant } from '../model/schema.js';
import { distributionBoundaries } from './bucket.js';
import { compileConstraint, type ValueTest } from './constraints.js';
import type { EnvironmentSnapshot, NamespaceDigest, NamespaceSnapshot } from './types.js';

/** A compiled segment: ALL or ANY over constraint predicates. */
export interface CompiledSegment {
  readonly key: string;
  readonly any: boolean;
  /** Property to read from the context, or null for ENTITY_ID constraints (they read the entity id). */
  readonly properties: readonly (string | null)[];
  readonly tests: readonly ValueTest[];
}

/** A compiled variant rule. */
export interface CompiledRule {
  readonly segments: readonly CompiledSegment[];
  readonly and: boolean;
  readonly boundaries: Int32Array;
  readonly variantKeys: readonly string[];
  readonly attachments: readonly string[];
}

/** A compiled boolean rollout. */
export type CompiledRollout =
  | { readonly threshold: true; readonly percentage: number; readonly value: boolean }
  | {
      readonly threshold: false;
      readonly segments: readonly CompiledSegment[];
      readonly and: boolean;
      readonly value: boolean;
    };

/** A flag ready for evaluation. */
export type CompiledFlag =
  | {
      readonly kind: 'VARIANT_FLAG_TYPE';
      readonly key: string;
      readonly enabled: boolean;
      readonly defaultVariantKey: string;
      readonly defaultAttachment: string;
      readonly hasDefault: boolean;
      readonly rules: readonly CompiledRule[];
    }
  | {
      readonly kind: 'BOOLEAN_FLAG_TYPE';
      readonly key: string;
      readonly enabled: boolean;
      readonly rollouts: readonly CompiledRollout[];
    };

/** Compact JSON with object keys sorted (Go's json.Marshal order), so attachments are stable. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/**
 * The attachment text a variant evaluates to: canonical JSON, or `""` when it has none (Flipt
 * versions differ there; one fixed answer keeps every transport and SDK consistent).
 */
export function attachmentText(v: Variant | undefined): string {
  return v?.attachment === undefined ? '' : canonicalJson(v.attachment);
}

/** The variant marked default (the last one wins, as in Flipt). */
export function defaultVariantOf(flag: Flag): Variant | undefined {
  let found: Variant | undefined;
  for (const v of flag.variants) if (v.default) found = v;
  return found;
}

function compileSegment(s: Segment): CompiledSegment {
  return {
    key: s.key,
    any: s.match_type === 'ANY_MATCH_TYPE',
    properties: s.constraints.map((c) =>
      c.type === 'ENTITY_ID_COMPARISON_TYPE' ? null : c.property,
    ),
    tests: s.constraints.map(compileConstraint),
  };
}

function resolveSegments(
  keys: readonly string[],
  segments: ReadonlyMap<string, CompiledSegment>,
  where: string,
): CompiledSegment[] {
  return keys.map((k) => {
    const s = segments.get(k);
    if (!s) throw errors.invalidArgument(`${where} references unknown segment "${k}"`);
    return s;
  });
}

function compileFlag(
  ns: string,
  flag: Flag,
  segments: ReadonlyMap<string, CompiledSegment>,
): CompiledFlag {
  const where = `flag ${ns}/${flag.key}`;
  if (flag.type === 'BOOLEAN_FLAG_TYPE') {
    const rollouts = flag.rollouts.map((r, i): CompiledRollout => {
      if (r.threshold)
        return {
          threshold: true,
          percentage: Math.fround(r.threshold.percentage),
          value: r.threshold.value,
        };
      const seg = r.segment!;
      return {
        threshold: false,
        segments: resolveSegments(seg.keys, segments, `${where} rollout ${i + 1}`),
        and: seg.operator === 'AND_SEGMENT_OPERATOR',
        value: seg.value,
      };
    });
    return { kind: 'BOOLEAN_FLAG_TYPE', key: flag.key, enabled: flag.enabled, rollouts };
  }
  const variants = new Map(flag.variants.map((v) => [v.key, v]));
  const dv = defaultVariantOf(flag);
  const rules = flag.rules.map((rule, i): CompiledRule => {
    const dists = rule.distributions.filter((d) => Math.fround(d.rollout) > 0);
    for (const d of dists)
      if (!variants.has(d.variant))
        throw errors.invalidArgument(
          `${where} rule ${i + 1} references unknown variant "${d.variant}"`,
        );
    return {
      segments: resolveSegments(rule.segment.keys, segments, `${where} rule ${i + 1}`),
      and: rule.segment.operator === 'AND_SEGMENT_OPERATOR',
      boundaries: distributionBoundaries(dists.map((d) => d.rollout)),
      variantKeys: dists.map((d) => d.variant),
      attachments: dists.map((d) => attachmentText(variants.get(d.variant))),
    };
  });
  return {
    kind: 'VARIANT_FLAG_TYPE',
    key: flag.key,
    enabled: flag.enabled,
    hasDefault: dv !== undefined,
    defaultVariantKey: dv?.key ?? '',
    defaultAttachment: attachmentText(dv),
    rules,
  };
}

function compileNamespace(
  revision: string,
  ns: NamespaceModel,
  digest: NamespaceDigest,
): NamespaceSnapshot {
  const segments = new Map<string, CompiledSegment>();
  for (const s of ns.segments) segments.set(s.key, compileSegment(s));
  const compiled = new Map<string, CompiledFlag>();
  for (const f of ns.flags) compiled.set(f.key, compileFlag(ns.key, f, segments));
  return {
    key: ns.key,
    name: ns.name,
    description: ns.description ?? '',
    digest: digest(revision, ns.key),
    model: ns,
    flags: new Map(ns.flags.map((f) => [f.key, f])),
    segments: new Map(ns.segments.map((s) => [s.key, s])),
    compiled,
  };
}

/** Options of {@link compileEnvironment}. */
export interface CompileOptions {
  /** The revision the environment was read at (a commit SHA). */
  readonly revision: string;
  /**
   * Derives each namespace's digest (the client snapshot's ETag). Passed in because hashing needs a
   * crypto implementation and this library stays portable: the engine only calls it once per
   * namespace per build, never while evaluating.
   */
  readonly digest: NamespaceDigest;
}

/**
 * Builds the immutable snapshot of an environment at `revision` (a commit SHA). The input must be
 * validated; a dangling reference is an InvalidArgument error. Later flags with the same key
 * replace earlier ones, as in Flipt.
 */
export function compileEnvironment(
  environment: Environment,
  options: CompileOptions,
): EnvironmentSnapshot {
  const namespaces = new Map<string, NamespaceSnapshot>();
  for (const ns of environment.namespaces)
    namespaces.set(ns.key, compileNamespace(options.revision, ns, options.digest));
  return { revision: options.revision, namespaces };
}
