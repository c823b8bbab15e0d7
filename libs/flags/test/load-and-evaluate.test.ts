/** From files to answers: loadEnvironment → compileEnvironment → evaluate, on Flipt-format fixtures. */
import { describe, expect, it } from 'vitest';
import {
  compileEnvironment,
  evaluateBoolean,
  evaluateVariant,
  loadEnvironment,
  toClientSnapshot,
} from '../src/index.js';
import { sha1Digest } from './support/digest.js';
import { fixture } from './fixtures/format/read-tree.js';

function load(files: Map<string, Uint8Array | string>, revision = 'r1') {
  const result = loadEnvironment(files);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return compileEnvironment(result.environment, { revision, digest: sha1Digest });
}

describe('load and evaluate', () => {
  it('answers the Flipt corpus file like Flipt', () => {
    const snap = load(fixture('valid/corpus-v1'));
    expect(
      evaluateVariant(snap, { flagKey: 'flag1', entityId: 'e', context: { fizz: 'buzz' } }),
    ).toEqual({
      flagKey: 'flag1',
      match: true,
      reason: 'MATCH_EVALUATION_REASON',
      variantKey: 'variant1',
      variantAttachment:
        '{"answer":{"everything":42},"happy":true,"list":[1,0,2],"name":"Niels","nothing":null,"object":{"currency":"USD","value":42.99},"pi":3.141}',
      segmentKeys: ['segment1'],
    });
    expect(
      evaluateBoolean(snap, {
        flagKey: 'flag_boolean',
        entityId: 'hello',
        context: { fizz: 'buzz' },
      }),
    ).toMatchObject({
      enabled: true,
      reason: 'MATCH_EVALUATION_REASON',
      segmentKeys: ['segment1'],
    });
    // crc32("fixedflag_boolean") % 100 = 9 < 50
    expect(evaluateBoolean(snap, { flagKey: 'flag_boolean', entityId: 'fixed' })).toMatchObject({
      enabled: true,
      reason: 'MATCH_EVALUATION_REASON',
    });
    // crc32("helloflag_boolean") % 100 = 96
    expect(evaluateBoolean(snap, { flagKey: 'flag_boolean', entityId: 'hello' })).toMatchObject({
      enabled: false,
      reason: 'DEFAULT_EVALUATION_REASON',
    });
  });

  it('evaluates the 1.5 (JSON string) and 1.6 (list) isoneof encodings identically', () => {
    const doc = (version: string, strings: string, numbers: string) => `version: "${version}"
flags:
  - key: f
    name: f
    enabled: true
    variants: [{key: on}]
    rules:
      - segment: {keys: [s, n], operator: OR_SEGMENT_OPERATOR}
        distributions: [{variant: on, rollout: 100}]
segments:
  - key: s
    name: s
    match_type: ALL_MATCH_TYPE
    constraints: [{type: STRING_COMPARISON_TYPE, property: team, operator: isoneof, value: ${strings}}]
  - key: n
    name: n
    match_type: ALL_MATCH_TYPE
    constraints: [{type: NUMBER_COMPARISON_TYPE, property: age, operator: isnotoneof, value: ${numbers}}]
`;
    const v15 = load(
      new Map([['default/features.yaml', doc('1.5', `'["red","blue"]'`, `"[18, 21, 65]"`)]]),
    );
    const v16 = load(
      new Map([['default/features.yaml', doc('1.6', '[red, blue]', '[18, 21, 65]')]]),
    );
    const contexts: Record<string, string>[] = [
      { team: 'red' },
      { team: 'green' },
      { age: '18' },
      { age: '30' },
      { team: 'blue', age: '21' },
      {},
    ];
    for (const context of contexts) {
      const req = { flagKey: 'f', entityId: 'x', context };
      expect(evaluateVariant(v16, req)).toEqual(evaluateVariant(v15, req));
    }
    const strip = (s: ReturnType<typeof toClientSnapshot>) => ({ ...s, digest: '' });
    expect(
      strip(toClientSnapshot(v16.namespaces.get('default')!)).flags[0]!.rules[0]!.segments.map(
        (s) => s.constraints[0]!.value,
      ),
    ).toEqual(['["red","blue"]', '[18,21,65]']);
    expect(
      strip(toClientSnapshot(v15.namespaces.get('default')!)).flags[0]!.rules[0]!.segments.map(
        (s) => s.constraints[0]!.value,
      ),
    ).toEqual(['["red","blue"]', '[18, 21, 65]']);
  });

  it('derives the digest from the revision and namespace through the digest it was given', () => {
    const a = load(fixture('valid/corpus-v1'), 'aaaa').namespaces.get('default')!;
    const b = load(fixture('valid/corpus-v1'), 'bbbb').namespaces.get('default')!;
    // The value the engine's former built-in SHA-1 produced: ETags survive the move to node:crypto.
    expect(a.digest).toBe('cb4931f801da312b0e96436f882ce2836d6970bc');
    expect(toClientSnapshot(a).digest).toBe(a.digest);
    expect(a.digest).not.toBe(b.digest);
    expect(load(fixture('valid/corpus-v1'), 'aaaa').namespaces.get('default')!.digest).toBe(
      a.digest,
    );
  });
});
