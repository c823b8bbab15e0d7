import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalDocument } from '../../test/fixtures/format/arbitraries.js';
import { fixture } from '../../test/fixtures/format/read-tree.js';
import { parseFeatureFile } from './parse-file.js';
import { serializeDocument } from './serialize.js';

function roundTrip(format: 'yaml' | 'json', text: string) {
  const parsed = parseFeatureFile(`ns/features.${format}`, text);
  expect(parsed.errors.filter((e) => e.code !== 'version')).toEqual([]);
  expect(parsed.documents).toHaveLength(1);
  return parsed.documents[0]?.document;
}

describe('serializeDocument', () => {
  it.each(['yaml', 'json'] as const)(
    'parse ∘ serialise is the identity on canonical documents (%s)',
    (format) => {
      fc.assert(
        fc.property(canonicalDocument, (doc) => {
          expect(roundTrip(format, serializeDocument(doc, { format }))).toEqual(doc);
        }),
        { numRuns: 1000, seed: 20261122 },
      );
    },
    60_000,
  );

  it('is deterministic and a fixed point: serialise ∘ parse ∘ serialise = serialise', () => {
    fc.assert(
      fc.property(canonicalDocument, (doc) => {
        const once = serializeDocument(doc);
        const again = serializeDocument(roundTrip('yaml', once) as typeof doc);
        expect(again).toBe(once);
      }),
      { numRuns: 300, seed: 7 },
    );
  }, 60_000);

  it('writes Flipt field order, 2-space YAML and the simplest segment form for the version', () => {
    const bytes = fixture('valid/corpus-v1').get('default/features.yml') as Uint8Array;
    const doc = parseFeatureFile('default/features.yml', bytes).documents[0]?.document;
    expect(doc).toBeDefined();
    if (doc === undefined) return;
    const v11 = serializeDocument({ ...doc, version: '1.1' });
    expect(v11).toContain('    rules:\n      - segment: segment1\n');
    expect(serializeDocument(doc)).toMatchInlineSnapshot(`
      "version: "1.2"
      namespace: default
      flags:
        - key: flag1
          name: flag1
          type: VARIANT_FLAG_TYPE
          description: description
          enabled: true
          variants:
            - key: variant1
              name: variant1
              attachment:
                pi: 3.141
                happy: true
                name: Niels
                nothing: null
                answer:
                  everything: 42
                list:
                  - 1
                  - 0
                  - 2
                object:
                  currency: USD
                  value: 42.99
          rules:
            - segment:
                keys:
                  - segment1
                operator: OR_SEGMENT_OPERATOR
              distributions:
                - variant: variant1
                  rollout: 100
        - key: flag_boolean
          name: FLAG_BOOLEAN
          type: BOOLEAN_FLAG_TYPE
          description: Boolean flag
          enabled: false
          rollouts:
            - description: enabled for segment1
              segment:
                keys:
                  - segment1
                operator: OR_SEGMENT_OPERATOR
                value: true
            - description: enabled for 50%
              threshold:
                percentage: 50
                value: true
      segments:
        - key: segment1
          name: segment1
          description: description
          match_type: ANY_MATCH_TYPE
          constraints:
            - type: STRING_COMPARISON_TYPE
              property: fizz
              operator: eq
              value: buzz
      "
    `);
  });

  it('gives minimal diffs: renaming one flag changes one line', () => {
    const doc = parseFeatureFile(
      'default/features.yml',
      fixture('valid/corpus-v1').get('default/features.yml') as Uint8Array,
    ).documents[0]?.document;
    if (doc === undefined) throw new Error('fixture did not parse');
    const before = serializeDocument(doc).split('\n');
    const edited = {
      ...doc,
      flags: doc.flags.map((f) => (f.key === 'flag_boolean' ? { ...f, name: 'Renamed' } : f)),
    };
    const after = serializeDocument(edited).split('\n');
    expect(after).toHaveLength(before.length);
    expect(after.filter((line, i) => line !== before[i])).toEqual(['    name: Renamed']);
  });

  it('writes isoneof values as lists only for 1.6', () => {
    const base = parseFeatureFile(
      'a.yaml',
      'version: "1.6"\nsegments: [{key: s, name: S, match_type: ALL_MATCH_TYPE, constraints: [{type: STRING_COMPARISON_TYPE, property: p, operator: isoneof, value: [a, "on"]}]}]\n',
    );
    const doc = base.documents[0]?.document;
    if (doc === undefined) throw new Error('fixture did not parse');
    expect(serializeDocument(doc)).toContain('value:\n          - a\n          - "on"\n');
    expect(serializeDocument({ ...doc, version: '1.5' })).toContain(`value: '["a","on"]'`);
    expect(serializeDocument({ ...doc, version: '1.5' }, { format: 'json' })).toContain(
      '"value": "[\\"a\\",\\"on\\"]"',
    );
  });
});
