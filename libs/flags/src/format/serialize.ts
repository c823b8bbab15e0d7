/**
 * Writes a canonical document back as YAML or JSON, deterministically: Flipt's field order,
 * 2-space indentation, no line folding, and the simplest spelling the document's version allows.
 * `parseFeatureFile(serializeDocument(doc))` yields `doc` again for every valid canonical doc.
 */
import { stringify } from 'yaml';
import {
  FORMAT_VERSIONS,
  KEY_PATTERN,
  type Constraint,
  type SegmentRef,
  type Document,
  type Flag,
  type Rollout,
  type Rule,
  type Segment,
  type Variant,
} from '../model/schema.js';
import { versionRank } from './version-rules.js';

/** Output options. */
export interface SerializeOptions {
  format?: 'yaml' | 'json';
}

type Plain = Record<string, unknown>;

const V11 = FORMAT_VERSIONS.indexOf('1.1');
const V12 = FORMAT_VERSIONS.indexOf('1.2');
const V16 = FORMAT_VERSIONS.indexOf('1.6');

/** Serialises one document (YAML by default). */
export function serializeDocument(document: Document, options?: SerializeOptions): string {
  const plain = documentToPlain(document);
  if (options?.format === 'json') return `${JSON.stringify(plain, null, 2)}\n`;
  // compat 1.1 quotes strings such as `on`/`yes` so YAML 1.1 readers see strings too.
  return stringify(plain, {
    version: '1.2',
    indent: 2,
    lineWidth: 0,
    minContentWidth: 0,
    compat: 'yaml-1.1',
  });
}

/** The document as plain data in Flipt's field order, with empty optional parts left out. */
export function documentToPlain(doc: Document): Plain {
  const rank = versionRank(doc.version);
  const out: Plain = {};
  if (doc.version !== undefined) out.version = doc.version;
  const ns = doc.namespace;
  out.namespace =
    ns.name === undefined && ns.description === undefined
      ? ns.key
      : compact({ key: ns.key, name: ns.name, description: ns.description });
  if (doc.flags.length > 0) out.flags = doc.flags.map((f) => flagToPlain(f, rank));
  if (doc.segments.length > 0) out.segments = doc.segments.map((s) => segmentToPlain(s, rank));
  return out;
}

function flagToPlain(f: Flag, rank: number): Plain {
  return compact({
    key: f.key,
    name: f.name,
    // 1.0 has no type field; every 1.0 flag is a variant flag.
    type: rank < V11 && f.type === 'VARIANT_FLAG_TYPE' ? undefined : f.type,
    description: f.description,
    enabled: f.enabled,
    metadata: f.metadata,
    variants: nonEmpty(f.variants.map(variantToPlain)),
    rules: nonEmpty(f.rules.map((r) => ruleToPlain(r, rank))),
    rollouts: nonEmpty(f.rollouts.map((r) => rolloutToPlain(r, rank))),
  });
}

function variantToPlain(v: Variant): Plain {
  return compact({
    key: v.key,
    name: v.name,
    description: v.description,
    default: v.default,
    attachment: v.attachment,
  });
}

function ruleToPlain(r: Rule, rank: number): Plain {
  const segment =
    rank < V12 && isSingleKey(r.segment)
      ? r.segment.keys[0]
      : { keys: r.segment.keys, operator: r.segment.operator };
  return compact({
    segment,
    rank: r.rank,
    distributions: nonEmpty(
      r.distributions.map((d) => ({ variant: d.variant, rollout: d.rollout })),
    ),
  });
}

function rolloutToPlain(r: Rollout, rank: number): Plain {
  const s = r.segment;
  const segment =
    s === undefined
      ? undefined
      : rank < V12 && isSingleKey(s)
        ? { key: s.keys[0], value: s.value }
        : { keys: s.keys, operator: s.operator, value: s.value };
  const threshold =
    r.threshold === undefined
      ? undefined
      : { percentage: r.threshold.percentage, value: r.threshold.value };
  return compact({ description: r.description, segment, threshold });
}

function segmentToPlain(s: Segment, rank: number): Plain {
  return compact({
    key: s.key,
    name: s.name,
    description: s.description,
    match_type: s.match_type,
    constraints: nonEmpty(s.constraints.map((c) => constraintToPlain(c, rank))),
  });
}

function constraintToPlain(c: Constraint, rank: number): Plain {
  return compact({
    type: c.type,
    property: c.property,
    operator: c.operator,
    value: constraintValue(c, rank),
    description: c.description,
  });
}

/** isoneof lists are YAML lists only in 1.6; earlier versions write them as JSON-array strings. */
function constraintValue(c: Constraint, rank: number): Constraint['value'] {
  const listOperator = c.operator === 'isoneof' || c.operator === 'isnotoneof';
  if (Array.isArray(c.value)) return rank < V16 ? JSON.stringify(c.value) : c.value;
  if (listOperator && rank >= V16 && c.value !== undefined) {
    try {
      const parsed: unknown = JSON.parse(c.value);
      if (
        Array.isArray(parsed) &&
        parsed.every((x) => typeof x === 'string' || typeof x === 'number')
      )
        return parsed;
    } catch {
      // Not a JSON array: write it as it is and let validation report it.
    }
  }
  return c.value;
}

/** A reference the pre-1.2 spelling (one key, OR) can express; the key form needs a key-shaped key. */
function isSingleKey(ref: SegmentRef): boolean {
  return (
    ref.keys.length === 1 &&
    ref.operator === 'OR_SEGMENT_OPERATOR' &&
    KEY_PATTERN.test(ref.keys[0] as string)
  );
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

function compact(o: Plain): Plain {
  const out: Plain = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
