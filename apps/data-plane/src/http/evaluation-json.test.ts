import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  booleanJson,
  booleanJsonText,
  decodeEvaluationRequest,
  roundToNanos,
  variantJson,
  variantJsonText,
  type Envelope,
} from './evaluation-json.js';

const REASONS = [
  'UNKNOWN_EVALUATION_REASON',
  'FLAG_DISABLED_EVALUATION_REASON',
  'MATCH_EVALUATION_REASON',
  'DEFAULT_EVALUATION_REASON',
] as const;

// Any string, including quotes, backslashes, control characters, non-ASCII and lone surrogates.
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '"', '\\', '\u007f', '\u2028', '\ud800', 'a\u0000b', 'ünïcode', '😀'),
);
const envelope: fc.Arbitrary<Envelope> = fc.record({
  requestId: text,
  durationMs: fc.oneof(
    fc.double(),
    // What the routes send: milliseconds rounded to whole nanoseconds, small and large.
    fc.double({ min: 0, max: 1e4, noNaN: true }).map(roundToNanos),
    fc.double({ min: 0, max: 0.01, noNaN: true }).map(roundToNanos),
    fc.integer({ min: 0, max: 1e15 - 1 }).map((ns) => ns / 1e6),
    fc.constantFrom(0, -0, 1e-6, 1e-7, 0.00012, 1, 1.5, 1e9, 999999999.999999, 1e21, 0.1 + 0.2),
    fc.constantFrom(NaN, Infinity, -Infinity, -1e-6),
  ),
  // isoNow()'s output (the type's contract): any instant, written as Date#toISOString does.
  timestamp: fc.integer({ min: 0, max: 253402300799999 }).map((ms) => new Date(ms).toISOString()),
});

describe('hand-written evaluation JSON', () => {
  it('booleanJsonText is JSON.stringify(booleanJson(...)), byte for byte', () => {
    fc.assert(
      fc.property(
        fc.record({
          flagKey: text,
          enabled: fc.boolean(),
          reason: fc.constantFrom(...REASONS),
          segmentKeys: fc.array(text, { maxLength: 4 }),
        }),
        envelope,
        (r, e) => {
          expect(booleanJsonText(r, e)).toBe(JSON.stringify(booleanJson(r, e)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('variantJsonText is JSON.stringify(variantJson(...)), byte for byte', () => {
    fc.assert(
      fc.property(
        fc.record({
          flagKey: text,
          match: fc.boolean(),
          reason: fc.constantFrom(...REASONS),
          variantKey: text,
          variantAttachment: fc.oneof(text, fc.json()),
          segmentKeys: fc.array(text, { maxLength: 4 }),
        }),
        envelope,
        (r, e) => {
          expect(variantJsonText(r, e)).toBe(JSON.stringify(variantJson(r, e)));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('decodeEvaluationRequest', () => {
  it('prefers camelCase, falls back to proto names when absent or null, and checks types', () => {
    const req = decodeEvaluationRequest(
      JSON.parse(
        '{"flag_key":"b","flagKey":"a","entityId":null,"entity_id":"e","request_id":"r","context":{"k":null}}',
      ),
      'ns',
    );
    expect(req).toMatchObject({
      flagKey: 'a',
      entityId: 'e',
      requestId: 'r',
      namespaceKey: 'ns',
      requestedNamespace: 'ns',
      environmentKey: '',
    });
    expect({ ...req.context }).toEqual({ k: '' });
    expect(() => decodeEvaluationRequest({ flagKey: 'a', reference: 1 }, undefined)).toThrow(
      'invalid values for key(s) in json body',
    );
    expect(() => decodeEvaluationRequest({ flagKey: 'a', entity_id: 2 }, undefined)).toThrow(
      'invalid values for key(s) in json body',
    );
    expect(() => decodeEvaluationRequest({ entityId: 'e' }, undefined)).toThrow(
      'flagKey must not be empty',
    );
  });
});
