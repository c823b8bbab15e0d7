import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEvaluationBody, decodeEvaluationRequest } from './evaluation-json.js';
import { parseJsonBody } from './http-kit.js';
import { scanEvaluationRequest } from './request-scan.js';

/** What the general path (JSON.parse, then the decoder) makes of a body: a request or an error. */
function general(text: string, ns: string | undefined) {
  try {
    return { ok: decodeEvaluationRequest(parseJsonBody(text), ns) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function viaBody(text: string, ns: string | undefined) {
  try {
    return { ok: decodeEvaluationBody(text, ns) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const KEYS = [
  'namespaceKey',
  'flagKey',
  'entityId',
  'requestId',
  'environmentKey',
  'reference',
  'context',
  'flag_key',
  'entity_id',
  'namespace_key',
  'other',
  '__proto__',
  'constructor',
];
const str = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', 'dark-mode', 'user-42', '"', '\\', '\n', 'ü', '😀', '__proto__'),
);
const scalar = fc.oneof(
  { weight: 6, arbitrary: str },
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.constant([]),
);
const contextValue = fc.oneof(
  fc.dictionary(fc.oneof(str, fc.constantFrom('__proto__', 'constructor', '1', '0')), scalar, {
    maxKeys: 4,
  }),
  scalar,
);
const entry = fc
  .constantFrom(...KEYS)
  .chain((k) => (k === 'context' ? contextValue : scalar).map((v) => [k, v] as const));
const ws = fc.constantFrom('', '', '', ' ', '\n', '\t ', '\r\n');

/** A body text, with optional whitespace, repeated keys and unusual key order. */
const body = fc
  .tuple(fc.array(fc.tuple(entry, ws, ws, ws), { maxLength: 7 }), ws, ws)
  .map(
    ([entries, a, b]) =>
      `${a}{${entries
        .map(([[k, v], w1, w2, w3]) => `${w1}${JSON.stringify(k)}${w2}:${w3}${JSON.stringify(v)}`)
        .join(',')}}${b}`,
  );

/** Bodies close to valid ones: cut short, with a byte changed, or with trailing garbage. */
const damaged = fc
  .tuple(body, fc.nat(), fc.constantFrom('', '}', ',', '"', '{', 'x', ' ', '\\', 'null'))
  .map(([t, n, c]) => {
    const at = n % (t.length + 1);
    return n % 3 === 0
      ? t.slice(0, at)
      : n % 3 === 1
        ? t.slice(0, at) + c + t.slice(at + 1)
        : t + c;
  });

describe('scanEvaluationRequest', () => {
  it('decides nothing: every body decodes exactly as through JSON.parse (fast path or not)', () => {
    fc.assert(
      fc.property(fc.oneof(body, damaged), fc.constantFrom(undefined, '', 'other'), (t, ns) => {
        const want = general(t, ns);
        const got = viaBody(t, ns);
        expect(got).toEqual(want);
        if (got.ok?.context) expect(Object.getPrototypeOf(got.ok.context)).toBeNull();
      }),
      { numRuns: 5000 },
    );
  });

  it('reads context keys right while its key table cycles (more keys than it holds)', () => {
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < 100; i++) {
        const keys = [`k${i}`, `k${i}x`, `k${(i * 7) % 100}`, 'plan'];
        const context = Object.fromEntries(keys.map((k, j) => [k, `v${j}`]));
        const t = JSON.stringify({ flagKey: 'f', context });
        expect({ ...scanEvaluationRequest(t)!.context }).toEqual(context);
      }
  });

  it('takes the fast path for the bodies SDKs send', () => {
    for (const t of [
      '{"namespaceKey":"default","flagKey":"dark-mode","entityId":"user-42","context":{"plan":"free","region":"us"}}',
      '{"flagKey":"f","entityId":"e"}',
      '  { "flagKey" : "f", "context" : { "a" : null } , "requestId":"r","reference":"" } ',
      '{"environmentKey":"production","flagKey":"ü😀","context":{}}',
    ])
      expect(scanEvaluationRequest(t), t).toBeDefined();
    for (const t of [
      '{"flag_key":"f"}',
      '{"flagKey":"a\\"b"}',
      '{"flagKey":"f","flagKey":"g"}',
      '{"flagKey":"f","entityId":null}',
      '{"flagKey":"f","x":1}',
      '{"flagKey":"f"} x',
      '{"flagKey":"f"}\n',
      '',
    ])
      expect(scanEvaluationRequest(t), t).toBeUndefined();
  });
});
