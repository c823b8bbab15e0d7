/**
 * Golden vectors taken from Flipt's own tests and its SDK test harness, and values checked on
 * the client engine. Each vector is a namespace of its own so flag keys hash exactly as written.
 */
import type { Constraint, Flag, NamespaceModel, Segment, Variant } from '../../src/model/schema.js';

/** One expected evaluation. */
export interface GoldenCase {
  entityId: string;
  context?: Record<string, string>;
  expect:
    | {
        kind: 'variant';
        match: boolean;
        reason: string;
        variantKey: string;
        variantAttachment?: string;
        segmentKeys?: string[];
      }
    | { kind: 'boolean'; enabled: boolean; reason: string; segmentKeys?: string[] }
    | {
        kind: 'error';
        code: 'NotFound' | 'InvalidArgument';
        asType: 'variant' | 'boolean';
        flagKey?: string;
      };
}

/** A namespace plus the cases evaluated against its first flag. */
export interface GoldenVector {
  name: string;
  ns: NamespaceModel;
  cases: GoldenCase[];
}

const eq = (
  property: string,
  value: string,
  type: Constraint['type'] = 'STRING_COMPARISON_TYPE',
): Constraint => ({ type, property, operator: 'eq', value, description: undefined });
const seg = (key: string, constraints: Constraint[], any = false): Segment => ({
  key,
  name: key,
  description: undefined,
  match_type: any ? 'ANY_MATCH_TYPE' : 'ALL_MATCH_TYPE',
  constraints,
});
const v = (key: string, extra: Partial<Variant> = {}): Variant => ({
  key,
  name: undefined,
  description: undefined,
  attachment: undefined,
  default: undefined,
  ...extra,
});
const ns = (key: string, flags: Flag[], segments: Segment[]): NamespaceModel => ({
  key,
  name: key,
  description: undefined,
  flags,
  segments,
});

function variantFlag(
  key: string,
  segKeys: string[],
  dists: [string, number][],
  opts: { and?: boolean; enabled?: boolean; variants?: Variant[] } = {},
): Flag {
  const variants = opts.variants ?? [...new Set(dists.map(([k]) => k))].map((k) => v(k));
  return {
    key,
    name: key,
    description: undefined,
    enabled: opts.enabled ?? true,
    type: 'VARIANT_FLAG_TYPE',
    metadata: undefined,
    variants,
    rollouts: [],
    rules:
      segKeys.length === 0
        ? []
        : [
            {
              segment: {
                keys: segKeys,
                operator: opts.and ? 'AND_SEGMENT_OPERATOR' : 'OR_SEGMENT_OPERATOR',
              },
              rank: undefined,
              distributions: dists.map(([variant, rollout]) => ({ variant, rollout })),
            },
          ],
  };
}

function booleanFlag(key: string, enabled: boolean, rollouts: Flag['rollouts']): Flag {
  return {
    key,
    name: key,
    description: undefined,
    enabled,
    type: 'BOOLEAN_FLAG_TYPE',
    metadata: undefined,
    variants: [],
    rules: [],
    rollouts,
  };
}
const threshold = (percentage: number, value: boolean): Flag['rollouts'][number] => ({
  description: undefined,
  segment: undefined,
  threshold: { percentage, value },
});
const segRollout = (key: string, value: boolean): Flag['rollouts'][number] => ({
  description: undefined,
  threshold: undefined,
  segment: { keys: [key], operator: 'OR_SEGMENT_OPERATOR', value },
});

const M = 'MATCH_EVALUATION_REASON';
const D = 'DEFAULT_EVALUATION_REASON';
const U = 'UNKNOWN_EVALUATION_REASON';
const variant = (variantKey: string, segmentKeys?: string[]) => ({
  kind: 'variant' as const,
  match: true,
  reason: M,
  variantKey,
  segmentKeys,
});
const yes = { target: 'yes' };

/** The golden vectors. */
export const GOLDEN: GoldenVector[] = [
  {
    name: 'legacy 50/50 split on a matching segment (rows 1-3)',
    ns: ns(
      'g1',
      [
        variantFlag(
          'foo',
          ['bar'],
          [
            ['boz', 50],
            ['booz', 50],
          ],
        ),
      ],
      [seg('bar', [eq('bar', 'baz')])],
    ),
    cases: [
      { entityId: '1', context: { bar: 'baz' }, expect: variant('boz', ['bar']) },
      { entityId: '2', context: { bar: 'baz' }, expect: variant('booz', ['bar']) },
      {
        entityId: '1',
        context: { bar: 'boz' },
        expect: { kind: 'variant', match: false, reason: U, variantKey: '', segmentKeys: [] },
      },
    ],
  },
  {
    name: 'segment without constraints (row 4)',
    ns: ns(
      'g4',
      [
        variantFlag(
          'foo',
          ['all'],
          [
            ['boz', 50],
            ['moz', 50],
          ],
        ),
      ],
      [seg('all', [])],
    ),
    cases: [
      { entityId: '10', expect: variant('boz') },
      { entityId: '01', expect: variant('moz') },
    ],
  },
  {
    name: 'a single 10% distribution is normalised (row 5)',
    ns: ns('g5', [variantFlag('foo', ['all'], [['boz', 10]])], [seg('all', [])]),
    cases: [{ entityId: '123', expect: variant('boz') }],
  },
  {
    name: 'zero rollouts are skipped (rows 6-7)',
    ns: ns(
      'g6',
      [
        variantFlag(
          'foo',
          ['all'],
          [
            ['boz', 0],
            ['booz', 100],
          ],
        ),
      ],
      [seg('all', [])],
    ),
    cases: [{ entityId: '1', expect: variant('booz') }],
  },
  {
    name: 'zero rollouts between non-zero ones (row 7)',
    ns: ns(
      'g7',
      [
        variantFlag(
          'foo',
          ['all'],
          [
            ['1', 0],
            ['2', 0],
            ['3', 50],
            ['4', 0],
            ['5', 0],
            ['6', 50],
          ],
        ),
      ],
      [seg('all', [])],
    ),
    cases: [{ entityId: '1', expect: variant('3') }],
  },
  {
    name: 'readonly flag_001 on segment_005 (row 8)',
    ns: ns(
      'g8',
      [
        variantFlag(
          'flag_001',
          ['segment_005'],
          [
            ['variant_001', 50],
            ['variant_002', 50],
          ],
        ),
      ],
      [seg('segment_005', [eq('in_segment', 'segment_005'), eq('in_segment', 'segment_005')])],
    ),
    cases: [
      {
        entityId: 'some-fixed-entity-id',
        context: { in_segment: 'segment_005' },
        expect: variant('variant_002', ['segment_005']),
      },
    ],
  },
  {
    name: 'AND of two segments (row 9)',
    ns: ns(
      'g9',
      [
        variantFlag(
          'flag_variant_and_segments',
          ['segment_001', 'segment_anding'],
          [
            ['variant_001', 50],
            ['variant_002', 50],
          ],
          { and: true },
        ),
      ],
      [
        seg('segment_001', [eq('in_segment', 'segment_001')]),
        seg('segment_anding', [eq('anding', 'segment')]),
      ],
    ),
    cases: [
      {
        entityId: 'some-fixed-entity-id',
        context: { in_segment: 'segment_001', anding: 'segment' },
        expect: variant('variant_002', ['segment_001', 'segment_anding']),
      },
      {
        entityId: 'some-fixed-entity-id',
        context: { in_segment: 'segment_001' },
        expect: { kind: 'variant', match: false, reason: U, variantKey: '', segmentKeys: [] },
      },
    ],
  },
  {
    name: 'ENTITY_ID constraint (row 10)',
    ns: ns(
      'g10',
      [variantFlag('flag_using_entity_id', ['eid'], [['variant_001', 100]])],
      [seg('eid', [eq('entityId', 'user@flipt.io', 'ENTITY_ID_COMPARISON_TYPE')])],
    ),
    cases: [
      { entityId: 'user@flipt.io', expect: variant('variant_001', ['eid']) },
      {
        entityId: 'other@flipt.io',
        expect: { kind: 'variant', match: false, reason: U, variantKey: '' },
      },
    ],
  },
  {
    name: 'disabled boolean flag still evaluates rollouts (rows 11-13)',
    ns: ns(
      'g11',
      [
        booleanFlag('flag_boolean', false, [
          segRollout('segment_001', true),
          segRollout('segment_002', true),
          threshold(50, true),
        ]),
      ],
      [
        seg('segment_001', [eq('in_segment', 'segment_001')]),
        seg('segment_002', [eq('in_segment', 'segment_002')]),
      ],
    ),
    cases: [
      { entityId: 'fixed', expect: { kind: 'boolean', enabled: true, reason: M, segmentKeys: [] } },
      { entityId: 'hello', expect: { kind: 'boolean', enabled: false, reason: D } },
      {
        entityId: 'fixed',
        context: { in_segment: 'segment_001' },
        expect: { kind: 'boolean', enabled: true, reason: M, segmentKeys: ['segment_001'] },
      },
    ],
  },
  {
    name: 'threshold 5% vs bucket 65 (row 14)',
    ns: ns('g14', [booleanFlag('test-flag', true, [threshold(5, false)])], []),
    cases: [{ entityId: 'test-entity', expect: { kind: 'boolean', enabled: true, reason: D } }],
  },
  {
    name: 'threshold 70% vs bucket 65 (row 15)',
    ns: ns('g15', [booleanFlag('test-flag', true, [threshold(70, false)])], []),
    cases: [{ entityId: 'test-entity', expect: { kind: 'boolean', enabled: false, reason: M } }],
  },
  {
    name: 'strict < at the threshold (row 16)',
    ns: ns('g16', [booleanFlag('flag_boolean', false, [threshold(50, true)])], []),
    cases: [{ entityId: 'user-48', expect: { kind: 'boolean', enabled: false, reason: D } }],
  },
  {
    name: 'threshold 50.5 includes bucket 50 (row 16)',
    ns: ns('g16b', [booleanFlag('flag_boolean', false, [threshold(50.5, true)])], []),
    cases: [{ entityId: 'user-48', expect: { kind: 'boolean', enabled: true, reason: M } }],
  },
  {
    name: 'cumulative rounding 33.33/33.33/33.34 (rows 17-19)',
    ns: ns(
      'g17',
      [
        variantFlag(
          'flag_cumulative_rounding',
          ['t'],
          [
            ['variant1', 33.33],
            ['variant2', 33.33],
            ['variant3', 33.34],
          ],
        ),
      ],
      [seg('t', [eq('target', 'yes')])],
    ),
    cases: [
      { entityId: 'user-500', context: yes, expect: variant('variant1') },
      { entityId: 'user-994', context: yes, expect: variant('variant2') },
      { entityId: 'user-100', context: yes, expect: variant('variant3') },
      { entityId: 'user-1018', context: yes, expect: variant('variant2') }, // bucket 666: the client engine's answer
      { entityId: 'user-650', context: yes, expect: variant('variant3') }, // bucket 999
    ],
  },
  {
    name: 'shares summing to 30 are normalised (rows 20-21)',
    ns: ns(
      'g20',
      [
        variantFlag(
          'baz',
          ['all'],
          [
            ['v1', 10],
            ['v2', 20],
          ],
        ),
      ],
      [seg('all', [])],
    ),
    cases: [
      { entityId: 'user-0', expect: variant('v1') },
      { entityId: 'user-26', expect: variant('v1') },
      { entityId: 'user-3', expect: variant('v2') },
    ],
  },
  {
    name: 'SDK harness flag_no_distribution (row 21)',
    ns: ns(
      'g21',
      [
        variantFlag(
          'flag_no_distribution',
          ['t'],
          [
            ['variant1', 10],
            ['variant2', 20],
          ],
        ),
      ],
      [seg('t', [eq('target', 'yes')])],
    ),
    cases: [
      {
        entityId: 'e13e0294-fef5-47d9-8fc5-3acc8bff8321',
        context: yes,
        expect: variant('variant1'),
      },
      {
        entityId: 'e13e0294-fef5-47d9-8fc5-3acc8bff832',
        context: yes,
        expect: variant('variant2'),
      },
    ],
  },
  {
    name: 'disabled variant flag keeps the default variant (row 22)',
    ns: ns(
      'g22',
      [
        variantFlag('dis', ['all'], [['y', 100]], {
          enabled: false,
          variants: [v('x', { default: true, attachment: { a: 1 } }), v('y')],
        }),
      ],
      [seg('all', [])],
    ),
    cases: [
      {
        entityId: 'any',
        expect: {
          kind: 'variant',
          match: false,
          reason: 'FLAG_DISABLED_EVALUATION_REASON',
          variantKey: 'x',
          variantAttachment: '{"a":1}',
        },
      },
    ],
  },
  {
    name: 'matched rule without distributions keeps the default variant',
    ns: ns(
      'g24',
      [
        variantFlag('nodist', ['all'], [], {
          variants: [v('x', { default: true }), v('y', { attachment: ['z'] })],
        }),
      ],
      [seg('all', [])],
    ),
    cases: [
      {
        entityId: 'any',
        expect: {
          kind: 'variant',
          match: true,
          reason: M,
          variantKey: 'x',
          variantAttachment: '',
          segmentKeys: ['all'],
        },
      },
    ],
  },
  {
    name: 'no rule matches: DEFAULT with a default variant',
    ns: ns(
      'g25',
      [variantFlag('dflt', ['t'], [['y', 100]], { variants: [v('x', { default: true }), v('y')] })],
      [seg('t', [eq('target', 'yes')])],
    ),
    cases: [
      {
        entityId: 'any',
        expect: {
          kind: 'variant',
          match: false,
          reason: D,
          variantKey: 'x',
          variantAttachment: '',
        },
      },
    ],
  },
  {
    name: 'wrong flag type and unknown flag (row 23)',
    ns: ns('g23', [booleanFlag('b', true, [])], []),
    cases: [
      { entityId: 'x', expect: { kind: 'error', code: 'InvalidArgument', asType: 'variant' } },
      {
        entityId: 'x',
        expect: { kind: 'error', code: 'NotFound', asType: 'boolean', flagKey: 'missing' },
      },
    ],
  },
];
