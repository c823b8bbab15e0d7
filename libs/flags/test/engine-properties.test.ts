/** Property tests of the engine (fast-check, fixed seeds so failures replay). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileEnvironment,
  evaluateBatch,
  evaluateBoolean,
  evaluateVariant,
  distributionBoundaries,
  variantBucket,
} from '../src/index.js';
import { sha1Digest } from './support/digest.js';
import type { EvaluationRequest, NamespaceModel } from '../src/index.js';
import { pickDistribution } from '../src/engine/bucket.js';
import { generateNamespace } from './support/generate.js';

const ns = generateNamespace(42, 40);
const snapshot = compileEnvironment(
  { namespaces: [ns] },
  { revision: 'props', digest: sha1Digest },
);
const flagKeys = ns.flags.map((f) => f.key);

const hostileKey = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'age',
    'country',
    'signup',
    'beta',
    'plan',
  ),
);
/** Arbitrary JSON-ish contexts, values of any type, as a transport might hand over before validation. */
const anyContext = fc.dictionary(hostileKey, fc.oneof(fc.string(), fc.anything()), { maxKeys: 8 });

describe('engine properties', () => {
  it('never throws for arbitrary contexts and entity ids on existing flags', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...flagKeys),
        fc.string(),
        anyContext,
        (flagKey, entityId, context) => {
          const req: EvaluationRequest = {
            flagKey,
            entityId,
            context: context as Record<string, string>,
          };
          const flag = ns.flags.find((f) => f.key === flagKey)!;
          const res =
            flag.type === 'VARIANT_FLAG_TYPE'
              ? evaluateVariant(snapshot, req)
              : evaluateBoolean(snapshot, req);
          expect(res.flagKey).toBe(flagKey);
          expect(evaluateBatch(snapshot, [req])).toHaveLength(1);
        },
      ),
      { seed: 20261122, numRuns: 3000 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('is deterministic: the same request gives the same answer, also after recompiling', () => {
    const again = compileEnvironment(
      { namespaces: [structuredClone(ns)] },
      { revision: 'props', digest: sha1Digest },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...flagKeys),
        fc.string(),
        fc.dictionary(fc.constantFrom('age', 'country', 'plan', 'beta', 'signup'), fc.string()),
        (flagKey, entityId, context) => {
          const req = { flagKey, entityId, context };
          expect(evaluateBatch(snapshot, [req])).toEqual(evaluateBatch(again, [req]));
          expect(evaluateBatch(snapshot, [req])).toEqual(evaluateBatch(snapshot, [req]));
        },
      ),
      { seed: 7, numRuns: 2000 },
    );
  });

  it('puts every entity in a bucket of 0..999 and every bucket in some distribution', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (flag, entity, rollouts) => {
          const b = variantBucket(flag, entity);
          expect(b).toBeGreaterThanOrEqual(0);
          expect(b).toBeLessThan(1000);
          const idx = pickDistribution(distributionBoundaries(rollouts), b);
          expect(idx).toBeGreaterThanOrEqual(0);
          expect(idx).toBeLessThan(rollouts.length);
        },
      ),
      { seed: 3, numRuns: 3000 },
    );
  });

  it('measured shares converge on the configured (normalised) percentages', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 5, max: 100 }), { minLength: 1, maxLength: 4 }),
        (weights) => {
          const model: NamespaceModel = {
            key: 'default',
            name: 'Default',
            description: undefined,
            segments: [
              {
                key: 'all',
                name: 'all',
                description: undefined,
                match_type: 'ALL_MATCH_TYPE',
                constraints: [],
              },
            ],
            flags: [
              {
                key: 'split',
                name: 'split',
                description: undefined,
                enabled: true,
                type: 'VARIANT_FLAG_TYPE',
                metadata: undefined,
                rollouts: [],
                variants: weights.map((_, i) => ({
                  key: `v${i}`,
                  name: undefined,
                  description: undefined,
                  attachment: undefined,
                  default: undefined,
                })),
                rules: [
                  {
                    segment: { keys: ['all'], operator: 'OR_SEGMENT_OPERATOR' },
                    rank: undefined,
                    distributions: weights.map((w, i) => ({ variant: `v${i}`, rollout: w })),
                  },
                ],
              },
            ],
          };
          const snap = compileEnvironment(
            { namespaces: [model] },
            { revision: 'r', digest: sha1Digest },
          );
          const counts = new Map<string, number>();
          const N = 20_000;
          for (let i = 0; i < N; i++) {
            const k = evaluateVariant(snap, {
              flagKey: 'split',
              entityId: `entity-${i}`,
            }).variantKey;
            counts.set(k, (counts.get(k) ?? 0) + 1);
          }
          const total = weights.reduce((a, b) => a + b, 0);
          weights.forEach((w, i) => {
            expect(Math.abs((counts.get(`v${i}`) ?? 0) / N - w / total)).toBeLessThan(0.02);
          });
        },
      ),
      { seed: 11, numRuns: 25 },
    );
  });
});
