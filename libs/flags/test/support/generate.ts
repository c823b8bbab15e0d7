/**
 * Seeded generators of namespaces and evaluation requests that cover every operator, rollout
 * shape and the edge values where evaluators disagree (number and datetime parsing, escapes,
 * float32 boundaries). Shared by the differential test and the benchmark.
 */
import type {
  Constraint,
  Flag,
  NamespaceModel,
  Rollout,
  Rule,
  Segment,
  Variant,
} from '../../src/model/schema.js';
import { OPERATORS } from '../../src/model/schema.js';
import type { EvaluationRequest } from '../../src/engine/types.js';

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const STRING_VALUES = ['us', 'uk', 'pro', 'free', 'a', 'ab', ' us', 'us ', 'ü', '😀', 'x,y', ''];
const STRING_LISTS = [
  '["us","uk"]',
  '["pro"]',
  '[]',
  '["a\\"b","us"]',
  'us,uk',
  '[1,2]',
  '["ü","😀"]',
  ' [ "us" , "free" ] ',
  'null',
];
const NUMBER_VALUES = [
  '18',
  '21',
  '-5',
  '0',
  '+7',
  '3.5',
  '1e3',
  'abc',
  '2147483647',
  '2147483648',
  '-2147483648',
  '007',
  '',
];
const NUMBER_LISTS = [
  '[18,21]',
  '[ -5 , 0 ]',
  '[1.5]',
  '["18"]',
  '[18,2147483648]',
  'bad',
  '[]',
  '[1e2]',
  '[-0]',
];
const DATETIMES = [
  '2026-01-01T00:00:00Z',
  '2026-01-01T00:00:00.5Z',
  '2026-01-01T01:00:00+01:00',
  '2025-12-31T23:59:59Z',
  '2026-06-15T12:30:00-07:30',
  '2026-01-01',
  '2026-01-01 00:00:00Z',
  '2026-01-01t00:00:00z',
  '2026-02-30T00:00:00Z',
  '2026-01-01T00:00:00',
  '2016-12-31T23:59:60Z',
  'not a date',
];
const CONTEXT_VALUES: Readonly<Record<string, readonly string[]>> = {
  country: [...STRING_VALUES, 'US', 'usa', 'xusx', 'a"b'],
  plan: ['pro', 'free', 'enterprise', '', ' pro', 'pro '],
  age: [...NUMBER_VALUES, '18.0', ' 18', '21 ', '1_000', '0x10', '-0'],
  beta: ['true', 'false', 'TRUE', 'True', '1', '0', 't', '', 'yes'],
  signup: [...DATETIMES, '2026-01-01T00:00:00.999Z', '2025-12-31T23:00:00-01:00'],
};
const PROPERTIES = Object.keys(CONTEXT_VALUES);

function constraint(r: Rand): Constraint {
  const type = pick(r, [
    'STRING_COMPARISON_TYPE',
    'NUMBER_COMPARISON_TYPE',
    'BOOLEAN_COMPARISON_TYPE',
    'DATETIME_COMPARISON_TYPE',
    'ENTITY_ID_COMPARISON_TYPE',
  ] as const);
  const operator = pick(r, OPERATORS[type]);
  const list = operator === 'isoneof' || operator === 'isnotoneof';
  switch (type) {
    case 'STRING_COMPARISON_TYPE':
      return {
        type,
        property: pick(r, ['country', 'plan']),
        operator,
        value: list ? pick(r, STRING_LISTS) : pick(r, STRING_VALUES),
        description: undefined,
      };
    case 'ENTITY_ID_COMPARISON_TYPE':
      return {
        type,
        property: 'entityId',
        operator,
        value: list
          ? pick(r, ['["user-1","user-2"]', '["user-10"]', 'bad'])
          : pick(r, ['user-1', 'user-', '1', '']),
        description: undefined,
      };
    case 'NUMBER_COMPARISON_TYPE':
      return {
        type,
        property: 'age',
        operator,
        value: list ? pick(r, NUMBER_LISTS) : pick(r, NUMBER_VALUES),
        description: undefined,
      };
    case 'BOOLEAN_COMPARISON_TYPE':
      return { type, property: 'beta', operator, value: undefined, description: undefined };
    case 'DATETIME_COMPARISON_TYPE':
      return {
        type,
        property: 'signup',
        operator,
        value: pick(r, DATETIMES),
        description: undefined,
      };
  }
}

function segment(r: Rand, i: number): Segment {
  const n = int(r, 0, 3);
  return {
    key: `seg-${i}`,
    name: `Segment ${i}`,
    description: undefined,
    match_type: pick(r, ['ALL_MATCH_TYPE', 'ANY_MATCH_TYPE'] as const),
    constraints: Array.from({ length: n }, () => constraint(r)),
  };
}

const ROLLOUTS = [0, 10, 20, 25, 33.33, 33.34, 50, 100, 0.01, 1, 66.6, 12.5, 99.99];
const rollout = (r: Rand) => (r() < 0.3 ? Math.round(r() * 10000) / 100 : pick(r, ROLLOUTS));

const ATTACHMENTS: Variant['attachment'][] = [
  undefined,
  undefined,
  { z: 1, a: [true, null, 'x'], m: { b: 2, a: 1 } },
  ['x', 1.5, { k: 'v' }],
  { emoji: '😀', q: 'a"b' },
];
const attachment = (r: Rand): Variant['attachment'] => pick(r, ATTACHMENTS);

function variantFlag(r: Rand, key: string, segKeys: string[]): Flag {
  const variants: Variant[] = Array.from({ length: int(r, 1, 4) }, (_, i) => ({
    key: `v${i}`,
    name: undefined,
    description: undefined,
    attachment: attachment(r),
    default: undefined,
  }));
  if (r() < 0.4) pick(r, variants).default = true;
  const rules: Rule[] = Array.from({ length: int(r, 0, 3) }, () => ({
    segment: {
      keys: Array.from({ length: int(r, 1, 3) }, () => pick(r, segKeys)).filter(
        (k, i, a) => a.indexOf(k) === i,
      ),
      operator: pick(r, ['OR_SEGMENT_OPERATOR', 'AND_SEGMENT_OPERATOR'] as const),
    },
    rank: undefined,
    distributions: Array.from({ length: int(r, 0, 4) }, () => ({
      variant: pick(r, variants).key,
      rollout: rollout(r),
    })),
  }));
  return {
    key,
    name: key,
    description: undefined,
    enabled: r() < 0.85,
    type: 'VARIANT_FLAG_TYPE',
    metadata: undefined,
    variants,
    rules,
    rollouts: [],
  };
}

function booleanFlag(r: Rand, key: string, segKeys: string[]): Flag {
  const rollouts: Rollout[] = Array.from({ length: int(r, 0, 4) }, (): Rollout =>
    r() < 0.5
      ? {
          description: undefined,
          segment: undefined,
          threshold: {
            percentage: pick(r, [0, 5, 50, 50.5, 99.9, 100, 33.33, Math.round(r() * 10000) / 100]),
            value: r() < 0.5,
          },
        }
      : {
          description: undefined,
          threshold: undefined,
          segment: {
            keys: [pick(r, segKeys)],
            operator: pick(r, ['OR_SEGMENT_OPERATOR', 'AND_SEGMENT_OPERATOR'] as const),
            value: r() < 0.5,
          },
        },
  );
  return {
    key,
    name: key,
    description: undefined,
    enabled: r() < 0.5,
    type: 'BOOLEAN_FLAG_TYPE',
    metadata: undefined,
    variants: [],
    rules: [],
    rollouts,
  };
}

/** A namespace of `flagCount` random flags (about 60 % variant) over `segmentCount` random segments. */
export function generateNamespace(
  seed: number,
  flagCount: number,
  segmentCount = 16,
  key = 'default',
): NamespaceModel {
  const r = rng(seed);
  const segments = Array.from({ length: segmentCount }, (_, i) => segment(r, i));
  const segKeys = segments.map((s) => s.key);
  const flags = Array.from({ length: flagCount }, (_, i) =>
    r() < 0.6 ? variantFlag(r, `flag-${i}`, segKeys) : booleanFlag(r, `flag-${i}`, segKeys),
  );
  return { key, name: key, description: undefined, flags, segments };
}

/**
 * Every (type, operator, value) as a one-constraint segment on its own flag, plus every context
 * value to try it with: an exhaustive operator table for the differential test.
 */
export function operatorTable(): { ns: NamespaceModel; requests: EvaluationRequest[] } {
  const flags: Flag[] = [];
  const segments: Segment[] = [];
  const requests: EvaluationRequest[] = [];
  const types = [
    ['STRING_COMPARISON_TYPE', 'country', STRING_VALUES, STRING_LISTS],
    [
      'ENTITY_ID_COMPARISON_TYPE',
      'entityId',
      ['user-1', 'user-', '1', ''],
      ['["user-1","user-2"]', '["user-10"]', 'bad', '["user-\\u0031"]'],
    ],
    ['NUMBER_COMPARISON_TYPE', 'age', NUMBER_VALUES, NUMBER_LISTS],
    ['BOOLEAN_COMPARISON_TYPE', 'beta', [''], ['']],
    ['DATETIME_COMPARISON_TYPE', 'signup', DATETIMES, DATETIMES],
  ] as const;
  for (const [type, property, values, lists] of types) {
    const ctxValues =
      type === 'ENTITY_ID_COMPARISON_TYPE'
        ? ['user-1', 'user-2', 'user-10', 'xuser-1', '1']
        : CONTEXT_VALUES[property]!;
    for (const operator of OPERATORS[type]) {
      const list = operator === 'isoneof' || operator === 'isnotoneof';
      for (const value of list ? lists : values) {
        const i = segments.length;
        segments.push({
          key: `s${i}`,
          name: `s${i}`,
          description: undefined,
          match_type: 'ALL_MATCH_TYPE',
          constraints: [{ type, property, operator, value, description: undefined }],
        });
        const variants: Variant[] = [
          {
            key: 'on',
            name: undefined,
            description: undefined,
            attachment: undefined,
            default: undefined,
          },
        ];
        flags.push({
          key: `f${i}`,
          name: `f${i}`,
          description: undefined,
          enabled: true,
          type: 'VARIANT_FLAG_TYPE',
          metadata: undefined,
          variants,
          rollouts: [],
          rules: [
            {
              segment: { keys: [`s${i}`], operator: 'OR_SEGMENT_OPERATOR' },
              rank: undefined,
              distributions: [{ variant: 'on', rollout: 100 }],
            },
          ],
        });
        for (const v of ctxValues) {
          const entity = type === 'ENTITY_ID_COMPARISON_TYPE';
          requests.push({
            namespaceKey: 'default',
            flagKey: `f${i}`,
            entityId: entity ? v : 'e',
            context: entity ? {} : { [property]: v },
          });
        }
        if (type !== 'ENTITY_ID_COMPARISON_TYPE')
          requests.push({ namespaceKey: 'default', flagKey: `f${i}`, entityId: 'e', context: {} });
      }
    }
  }
  return {
    ns: { key: 'default', name: 'default', description: undefined, flags, segments },
    requests,
  };
}

/** `count` random requests against the flags of `ns`. */
export function generateRequests(
  seed: number,
  ns: NamespaceModel,
  count: number,
): EvaluationRequest[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => {
    const context: Record<string, string> = {};
    for (const p of PROPERTIES) if (r() < 0.7) context[p] = pick(r, CONTEXT_VALUES[p]!);
    const entityId =
      r() < 0.9 ? `user-${int(r, 0, 2000)}` : pick(r, ['ü', '😀-1', 'user-1', '1', 'a b']);
    return { namespaceKey: ns.key, flagKey: pick(r, ns.flags).key, entityId, context };
  });
}
