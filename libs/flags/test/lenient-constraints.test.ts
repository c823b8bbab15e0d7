/**
 * Constraint values Flipt loads but cannot read (an `isoneof` value that is not a JSON list or
 * holds non-strings, a number `boz`, a datetime `boz`): the environment loads with a warning at
 * file:line, that constraint never matches, and everything else in the environment is served.
 */
import { describe, expect, it } from 'vitest';
import {
  compileEnvironment,
  evaluateBoolean,
  evaluateVariant,
  formatDiagnostic,
  loadEnvironment,
} from '../src/index.js';
import { sha1Digest } from './support/digest.js';

/** One segment per lenient case, each the only target of its own flag, plus a healthy flag. */
function document(version: string, values: Record<string, string>): string {
  const segment = (key: string, type: string, operator: string, value: string) =>
    [
      `  - key: ${key}`,
      `    name: ${key}`,
      '    match_type: ALL_MATCH_TYPE',
      '    constraints:',
      `      - {type: ${type}, property: p, operator: ${operator}, value: ${value}}`,
    ].join('\n');
  const flag = (key: string) =>
    [
      `  - key: ${key}`,
      `    name: ${key}`,
      '    type: BOOLEAN_FLAG_TYPE',
      '    enabled: false',
      '    rollouts:',
      `      - segment: {key: ${key}, value: true}`,
    ].join('\n');
  const keys = Object.keys(CASES);
  return [
    `version: "${version}"`,
    'namespace: default',
    'flags:',
    ...keys.map(flag),
    flag('healthy'),
    'segments:',
    ...keys.map((k) => segment(k, CASES[k]!.type, CASES[k]!.operator, values[k]!)),
    segment('healthy', 'STRING_COMPARISON_TYPE', 'eq', 'bar'),
    '',
  ].join('\n');
}

/** Each case, and a context value that would match had the value been readable. */
const CASES: Record<string, { type: string; operator: string; context: string }> = {
  'not-a-list': { type: 'STRING_COMPARISON_TYPE', operator: 'isoneof', context: 'bar' },
  'non-strings': { type: 'STRING_COMPARISON_TYPE', operator: 'isoneof', context: 'bar' },
  'number-boz': { type: 'NUMBER_COMPARISON_TYPE', operator: 'eq', context: '5' },
  'datetime-boz': {
    type: 'DATETIME_COMPARISON_TYPE',
    operator: 'lt',
    context: '2020-01-01T00:00:00Z',
  },
};

describe('lenient constraints, as Flipt loads them', () => {
  it.each([
    ['1.4 (JSON strings)', '1.4', `'["bar", "baz"'`, `'["bar", 5]'`],
    // In 1.6 a list value is a YAML list, so only non-strings can be wrong in it.
    ['1.6 (YAML lists)', '1.6', '[bar, 5]', '[bar, 5]'],
  ])('%s: loads with warnings at file:line; those constraints never match', (_, v, list, mixed) => {
    const file = document(v, {
      'not-a-list': list,
      'non-strings': mixed,
      'number-boz': 'boz',
      'datetime-boz': 'boz',
    });
    const result = loadEnvironment(new Map([['default/features.yaml', file]]));
    if (!result.ok) throw new Error(result.errors.map(formatDiagnostic).join('\n'));
    const warnings = result.warnings.map(formatDiagnostic);
    const lines = file.split('\n');
    for (const key of Object.keys(CASES)) {
      // Segments follow the flags, so the last `- key:` line of this key is its segment.
      const line = lines.lastIndexOf(`  - key: ${key}`) + 5;
      expect(
        warnings.some((w) => w.startsWith(`default/features.yaml:${line}:`)),
        `a warning at line ${line} for ${key} in ${warnings.join('\n')}`,
      ).toBe(true);
    }
    expect(warnings.join('\n')).toMatch(/"boz" is not a number, so this constraint never matches/);
    expect(warnings.join('\n')).toMatch(/"boz" is not an RFC 3339 date-time/);

    const snap = compileEnvironment(result.environment, { revision: 'r1', digest: sha1Digest });
    for (const [key, c] of Object.entries(CASES))
      expect(
        evaluateBoolean(snap, { flagKey: key, entityId: 'e', context: { p: c.context } }),
      ).toMatchObject({ flagKey: key, enabled: false, reason: 'DEFAULT_EVALUATION_REASON' });
    // The rest of the environment is served as usual.
    expect(
      evaluateBoolean(snap, { flagKey: 'healthy', entityId: 'e', context: { p: 'bar' } }),
    ).toMatchObject({ enabled: true, reason: 'MATCH_EVALUATION_REASON' });
    expect(() => evaluateVariant(snap, { flagKey: 'missing', entityId: 'e', context: {} })).toThrow(
      /not found/,
    );
  });
});
