import { describe, expect, it } from 'vitest';
import { isSwitchyardError } from '../errors.js';
import { formatDiagnostic } from './diagnostics.js';
import { MAX_JSON_DEPTH, jsonDepthViolation, parseJsonWithLimits } from './json-limits.js';
import { loadEnvironment } from './load-environment.js';

const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

describe('issue 10 item 8: parseJsonWithLimits', () => {
  it('uses the flag files’ depth limit and accepts exactly that depth', () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(parseJsonWithLimits(deepArray(64))).toHaveLength(1);
    expect(jsonDepthViolation(deepArray(64))).toBe(-1);
    expect(jsonDepthViolation(deepArray(65))).toBe(64);
  });

  it('refuses 100,000-deep arrays and objects with an InvalidArgument naming the limit', () => {
    for (const text of [
      deepArray(100_000),
      deepObject(100_000),
      `{"variants":[{"attachment":${deepObject(100_000)}}]}`,
    ]) {
      const e = thrown(() => parseJsonWithLimits(text, { field: 'body' }));
      expect(isSwitchyardError(e, 'InvalidArgument')).toBe(true);
      expect((e as Error).message).toMatch(/^JSON nesting deeper than 64 levels/);
      expect((e as { details: unknown }).details).toEqual([
        { path: 'body', message: (e as Error).message },
      ]);
    }
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const inString = JSON.stringify({ s: deepArray(100_000), t: `\\"${'{'.repeat(1000)}` });
    expect(jsonDepthViolation(inString)).toBe(-1);
    expect(parseJsonWithLimits(inString)).toMatchObject({ s: deepArray(100_000) });
  });

  it('honours a custom limit and reports syntax errors as InvalidArgument', () => {
    expect(() => parseJsonWithLimits('[[1]]', { maxDepth: 1 })).toThrow(
      'JSON nesting deeper than 1 levels',
    );
    const e = thrown(() => parseJsonWithLimits('{"a":'));
    expect(isSwitchyardError(e, 'InvalidArgument')).toBe(true);
    expect((e as Error).message).toMatch(/^invalid JSON: /);
  });
});

describe('issue 10 item 8: deep JSON inside a flag file', () => {
  it('a 100,000-deep isoneof list string is a constraint warning, not a stack overflow', () => {
    const yaml = [
      'version: "1.4"',
      'namespace:',
      '  key: default',
      'segments:',
      '  - key: s',
      '    name: S',
      '    match_type: ALL_MATCH_TYPE',
      '    constraints:',
      '      - type: STRING_COMPARISON_TYPE',
      '        property: p',
      '        operator: isoneof',
      `        value: '[${deepArray(100_000)}]'`,
      '',
    ].join('\n');
    const r = loadEnvironment(new Map([['default/features.yaml', yaml]]));
    // Flipt loads such a value (the constraint never matches), so it warns rather than blocks.
    expect(r.ok).toBe(true);
    expect(r.warnings.map(formatDiagnostic).join('\n')).toContain(
      'JSON nesting deeper than 64 levels, so isoneof then never matches',
    );
  });
});
