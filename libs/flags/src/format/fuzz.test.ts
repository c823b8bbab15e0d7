import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures/format/read-tree.js';
import { loadEnvironment } from './load-environment.js';

const corpus = new TextDecoder().decode(fixture('valid/readonly-v2').get('default/features.yaml'));
const json = JSON.stringify({
  flags: [{ key: 'f', name: 'F', variants: [{ key: 'v', attachment: { a: [1, { b: null }] } }] }],
});

/** A file with a few random edits (insert, delete, replace) at random places. */
function mutated(base: string) {
  const edit = fc.record({
    at: fc.nat(base.length),
    len: fc.nat(8),
    text: fc.string({ unit: 'grapheme', maxLength: 6 }),
  });
  return fc
    .array(edit, { minLength: 1, maxLength: 4 })
    .map((edits) =>
      edits.reduce(
        (s, e) =>
          s.slice(0, Math.min(e.at, s.length)) + e.text + s.slice(Math.min(e.at, s.length) + e.len),
        base,
      ),
    );
}

describe('loadEnvironment never throws on hostile input', () => {
  it.each([
    ['random YAML text', 'ns/features.yaml', fc.string({ unit: 'grapheme', maxLength: 200 })],
    ['random JSON text', 'ns/features.json', fc.string({ unit: 'grapheme', maxLength: 200 })],
    ['mutated YAML', 'ns/features.yaml', mutated(corpus)],
    ['mutated JSON', 'ns/features.json', mutated(json)],
    ['random bytes', 'ns/features.yaml', fc.uint8Array({ maxLength: 200 })],
  ] as const)(
    '%s',
    (_name, path, content) => {
      fc.assert(
        fc.property(content as fc.Arbitrary<string | Uint8Array>, (c) => {
          const result = loadEnvironment(new Map([[path, c]]));
          if (!result.ok) {
            expect(result.errors.length).toBeGreaterThan(0);
            for (const e of result.errors)
              expect(e.file === undefined || e.file === path).toBe(true);
          }
        }),
        { numRuns: 300, seed: 42 },
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
    60_000,
  );
});
