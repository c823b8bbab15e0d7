import { describe, expect, it } from 'vitest';
import { closest, formatDiagnostic, formatPath, toFieldViolations } from './diagnostics.js';

describe('diagnostics', () => {
  it('formats file:line:column: path: message', () => {
    const d = {
      severity: 'error' as const,
      code: 'unknown-variant',
      message: 'unknown variant "x" (use one of a, b)',
      file: 'prod/features.yaml',
      line: 12,
      column: 5,
      path: 'flags[0].rules[1].distributions[0].variant',
    };
    expect(formatDiagnostic(d)).toBe(
      'prod/features.yaml:12:5: flags[0].rules[1].distributions[0].variant: unknown variant "x" (use one of a, b)',
    );
    expect(
      formatDiagnostic({ ...d, severity: 'warning', line: undefined, column: undefined }),
    ).toBe(
      'prod/features.yaml: flags[0].rules[1].distributions[0].variant: warning: unknown variant "x" (use one of a, b)',
    );
    expect(toFieldViolations([d])).toEqual([
      { path: d.path, message: d.message, file: d.file, line: 12, column: 5 },
    ]);
  });

  it('renders paths and suggests close names', () => {
    expect(formatPath(['flags', 0, 'rules', 1, 'segment'])).toBe('flags[0].rules[1].segment');
    expect(closest('enabeld', ['enabled', 'name'])).toBe('enabled');
    expect(closest('zzz', ['enabled'])).toBeUndefined();
  });
});
