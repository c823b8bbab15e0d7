/** Explain mode agrees with the evaluators (fast-check, fixed seeds so failures replay). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileEnvironment,
  evaluateBoolean,
  evaluateVariant,
  explainEvaluation,
  type EnvironmentSnapshot,
} from '../src/index.js';
import { sha1Digest } from './support/digest.js';
import { generateNamespace, generateRequests } from './support/generate.js';

function agree(snapshot: EnvironmentSnapshot, req: Parameters<typeof evaluateVariant>[1]) {
  const ex = explainEvaluation(snapshot, req);
  if (ex.flagType === 'VARIANT_FLAG_TYPE') {
    const want = evaluateVariant(snapshot, req);
    expect(ex.variant).toEqual(want);
    expect(ex.reason).toBe(want.reason);
  } else {
    const want = evaluateBoolean(snapshot, req);
    expect(ex.boolean).toEqual(want);
    expect(ex.reason).toBe(want.reason);
  }
  return ex;
}

describe('explainEvaluation', () => {
  it("gives evaluate's answer for generated flags and contexts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (nsSeed, reqSeed) => {
          const ns = generateNamespace(nsSeed, 12, 6);
          const snapshot = compileEnvironment(
            { namespaces: [ns] },
            { revision: 'explain', digest: sha1Digest },
          );
          for (const req of generateRequests(reqSeed, ns, 20)) agree(snapshot, req);
        },
      ),
      { seed: 20261206, numRuns: 300 },
    );
  });

  it('gives the same answer for arbitrary entity ids and context values', () => {
    const ns = generateNamespace(7, 40);
    const snapshot = compileEnvironment(
      { namespaces: [ns] },
      { revision: 'explain', digest: sha1Digest },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...ns.flags.map((f) => f.key)),
        fc.string(),
        fc.dictionary(
          fc.constantFrom('age', 'country', 'plan', 'beta', 'signup', '__proto__'),
          fc.string(),
        ),
        (flagKey, entityId, context) => {
          agree(snapshot, { flagKey, entityId, context });
        },
      ),
      { seed: 20261207, numRuns: 2000 },
    );
  });

  it('records constraint values, the bucket and the distribution ranges', () => {
    const snapshot = compileEnvironment(
      {
        namespaces: [
          {
            key: 'default',
            name: 'default',
            description: undefined,
            segments: [
              {
                key: 'eu',
                name: 'eu',
                match_type: 'ANY_MATCH_TYPE',
                constraints: [
                  {
                    type: 'STRING_COMPARISON_TYPE',
                    property: 'country',
                    operator: 'eq',
                    value: 'de',
                  },
                  {
                    type: 'STRING_COMPARISON_TYPE',
                    property: 'country',
                    operator: 'eq',
                    value: 'fr',
                  },
                ],
              },
            ],
            flags: [
              {
                key: 'color',
                name: 'color',
                type: 'VARIANT_FLAG_TYPE',
                enabled: true,
                variants: [{ key: 'red' }, { key: 'blue' }],
                rules: [
                  {
                    segment: { keys: ['eu'], operator: 'OR_SEGMENT_OPERATOR' },
                    distributions: [
                      { variant: 'red', rollout: 50 },
                      { variant: 'blue', rollout: 50 },
                    ],
                  },
                ],
                rollouts: [],
              },
            ],
          },
        ] as never,
      },
      { revision: 'explain', digest: sha1Digest },
    );
    const ex = agree(snapshot, {
      flagKey: 'color',
      entityId: 'user-1',
      context: { country: 'fr' },
    });
    expect(ex.steps).toHaveLength(1);
    const [step] = ex.steps;
    expect(step!.segments[0]!.matchType).toBe('ANY_MATCH_TYPE');
    expect(step!.segments[0]!.constraints.map((c) => [c.value, c.seen, c.matched])).toEqual([
      ['de', 'fr', false],
      ['fr', 'fr', true],
    ]);
    expect(step!.distributions!.map((d) => [d.variantKey, d.from, d.to])).toEqual([
      ['red', 0, 500],
      ['blue', 500, 1000],
    ]);
    expect(step!.bucket).toBeGreaterThanOrEqual(0);
    expect(step!.variantKey).toBe(step!.bucket! < 500 ? 'red' : 'blue');

    const miss = agree(snapshot, {
      flagKey: 'color',
      entityId: 'user-1',
      context: { country: 'us' },
    });
    expect(miss.steps[0]!.matched).toBe(false);
    expect(miss.reason).toBe('UNKNOWN_EVALUATION_REASON');
    expect(() => explainEvaluation(snapshot, { flagKey: 'nope', entityId: 'x' })).toThrow(
      /not found/,
    );
  });
});
