import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics.js';
import { loadEnvironment, type LoadResult } from './load-environment.js';
import { fixture } from '../../test/fixtures/format/read-tree.js';

function summary(result: LoadResult): string[] {
  if (!result.ok) return result.errors.map(formatDiagnostic);
  return result.environment.namespaces.map(
    (n) =>
      `${n.key} (${n.name}): flags [${n.flags.map((f) => f.key).join(', ')}] segments [${n.segments.map((s) => s.key).join(', ')}]`,
  );
}

function load(name: string): LoadResult {
  return loadEnvironment(fixture(name));
}

describe('valid fixtures', () => {
  it('loads the Flipt corpus file (flag1, flag_boolean)', () => {
    const result = load('valid/corpus-v1');
    expect(result.ok).toBe(true);
    expect(summary(result)).toEqual([
      'default (Default): flags [flag1, flag_boolean] segments [segment1]',
    ]);
    if (!result.ok) return;
    const [flag1, flagBoolean] = result.environment.namespaces[0]?.flags ?? [];
    expect(flag1?.rules[0]?.segment).toEqual({
      keys: ['segment1'],
      operator: 'OR_SEGMENT_OPERATOR',
    });
    expect(flag1?.variants[0]?.attachment).toEqual({
      pi: 3.141,
      happy: true,
      name: 'Niels',
      nothing: null,
      answer: { everything: 42 },
      list: [1, 0, 2],
      object: { currency: 'USD', value: 42.99 },
    });
    expect(flagBoolean?.rollouts).toEqual([
      {
        description: 'enabled for segment1',
        segment: { keys: ['segment1'], operator: 'OR_SEGMENT_OPERATOR', value: true },
      },
      { description: 'enabled for 50%', threshold: { percentage: 50, value: true } },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('loads the readonly integration data in the v2 layout, namespaces in path order', () => {
    const result = load('valid/readonly-v2');
    expect(summary(result)).toEqual([
      'alternative (Alternative): flags [flag_001] segments [everyone]',
      'default (Default): flags [flag_001, flag_variant_and_segments, flag_using_entity_id, flag_boolean] segments [segment_001, segment_005, segment_anding, segment_entity_id]',
    ]);
    if (!result.ok) return;
    const alt = result.environment.namespaces[0];
    // YAML 1.2: `on` and `off` are strings, not booleans.
    expect(alt?.flags[0]?.variants.map((v) => v.key)).toEqual(['on', 'off']);
    const def = result.environment.namespaces[1];
    expect(def?.description).toBe('The default namespace');
    expect(def?.flags[1]?.rules[0]?.segment).toEqual({
      keys: ['segment_001', 'segment_anding'],
      operator: 'AND_SEGMENT_OPERATOR',
    });
    expect(def?.flags[2]?.variants[0]?.default).toBe(true);
    expect(def?.flags[3]?.metadata).toEqual({ owner: 'growth', ticket: 42 });
  });

  it('honours a .flipt.yml index with include and exclude globs', () => {
    const result = load('valid/explicit-index');
    expect(summary(result)).toEqual([
      'default (Default): flags [] segments []',
      'production (production): flags [prod-flag] segments []',
      'sandbox (sandbox): flags [sandbox-flag] segments []',
    ]);
    if (result.ok)
      expect(result.documents.map((d) => d.file)).toEqual([
        'prod/prod.features.yml',
        'sandbox/sandbox.features.yaml',
      ]);
  });

  it('reads both isoneof encodings: JSON strings in 1.5, lists in 1.6', () => {
    const result = load('valid/isoneof');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const values = result.environment.namespaces
      .slice(1)
      .map((n) => n.segments[0]?.constraints.map((c) => c.value));
    expect(values).toEqual([
      ['["red","blue"]', '[18, 21, 65]'],
      [
        ['red', 'blue'],
        [18, 21, 65],
      ],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('reads YAML streams (BOM, CRLF) and concatenated JSON values, merging in document order', () => {
    const result = load('valid/streams');
    expect(summary(result)).toEqual([
      'default (Default): flags [] segments []',
      'a (a): flags [uses-s1] segments [s1]',
      'b (b): flags [yes] segments []',
    ]);
    if (result.ok) {
      expect(result.documents.map((d) => `${d.file}#${d.index}`)).toEqual([
        'a/features.yaml#0',
        'a/features.yaml#1',
        'b/features.json#0',
        'b/features.json#1',
      ]);
      expect(result.environment.namespaces[2]?.flags[0]?.name).toBe('on');
    }
  });

  it('loads a valid document of every version (1.0, 1.1, 1.3, none = latest)', () => {
    const result = load('valid/versions');
    expect(result.ok ? result.warnings : result.errors).toEqual([]);
    expect(summary(result)).toEqual([
      'default (Default): flags [] segments []',
      'latest (Latest): flags [f] segments [s]',
      'v10 (v10): flags [checkout] segments [beta]',
      'v11 (v11): flags [dark-mode] segments [staff]',
      'v13 (v13): flags [pricing] segments [eu, paying]',
    ]);
  });

  it('warns about constructs the client engine evaluates surprisingly, without blocking', () => {
    const result = load('valid/warnings');
    expect(result.ok).toBe(true);
    expect(result.warnings.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "ns/features.yaml:10:11: flags[0].rules[0].distributions: warning: distributions add up to 30, not 100; the engine scales each share by 100/30, as Flipt's client engine does (make them add up to 100)",
        "ns/features.yaml:20:15: flags[1].variants: warning: boolean flags ignore variants (remove them)",
        "ns/features.yaml:26:74: segments[0].constraints[0].value: warning: 3.5 is not a 32-bit integer; Flipt's client engine parses integers only, so this constraint never matches there (use an integer between -2147483648 and 2147483647)",
        "ns/features.yaml:27:74: segments[0].constraints[1].value: warning: 1e3 is not a 32-bit integer; Flipt's client engine parses integers only, so this constraint never matches there (use an integer between -2147483648 and 2147483647)",
        "ns/features.yaml:28:74: segments[0].constraints[2].value: warning: 3000000000 is not a 32-bit integer; Flipt's client engine parses integers only, so this constraint never matches there (use an integer between -2147483648 and 2147483647)",
        "ns/features.yaml:30:79: segments[0].constraints[4].value: warning: the list has numbers that are not 32-bit integers; Flipt's client engine never matches them (use integers)",
        "ns/features.yaml:31:77: segments[0].constraints[5].value: warning: 2025-01-31 is a date without a time; Flipt's client engine reads RFC 3339 only, so this constraint never matches there (write 2025-01-31T00:00:00Z)",
        "ns/features.yaml:32:76: segments[0].constraints[6].value: warning: fractional seconds are ignored by Flipt's client engine, which compares whole seconds (drop .250)",
        "ns/features.yaml:34:78: segments[0].constraints[8].value: warning: value has leading or trailing whitespace; Flipt's server trims the context value before prefix but the client engine does not, so they can disagree (remove the whitespace)",
        "ns/features.yaml:35:80: segments[0].constraints[9].value: warning: operator notempty ignores the value (remove value)",
        "ns/features.yaml:36:79: segments[0].constraints[10].value: warning: the list has values with quotes, backslashes or control characters, which Flipt's engines read from an escaped JSON string and may not match as written (avoid these characters)",
        "ns/features.yaml:37:79: segments[0].constraints[11].value: warning: operator true ignores the value (remove value)",
        "ns/features.yaml:38:9: segments[0].constraints[12].value: warning: operator eq with an empty value never matches (set value)",
      ]
    `);
  });
});

describe('invalid fixtures: every error, with file:line:column', () => {
  it.each([
    'bad-extension',
    'references',
    'segment-later',
    'versions',
    'isoneof',
    'schema',
    'duplicates',
    'yaml-syntax',
    'json-syntax',
  ])('%s', (name) => {
    const result = load(`invalid/${name}`);
    expect(result.ok).toBe(false);
    expect(summary(result)).toMatchSnapshot();
  });
});

describe('constructs Flipt accepts keep loading, with a warning', () => {
  it('warns (not errors) on several default variants and on a boolean flag default', () => {
    const result = load('invalid/references');
    expect(result.warnings.map(formatDiagnostic)).toEqual(
      expect.arrayContaining([
        'ns/features.yaml:27:18: flags[1].variants[0].default: warning: boolean flag "bool" ignores its default variant (remove default, or make it a VARIANT_FLAG_TYPE flag)',
        'ns/features.yaml:38:18: flags[2].variants[1].default: warning: flag "two-defaults" has more than one default variant; the last one wins (keep default: true on one variant only)',
      ]),
    );
  });
});
