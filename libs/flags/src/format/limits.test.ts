import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics.js';
import { DEFAULT_LIMITS, byteLength } from './limits.js';
import { loadEnvironment } from './load-environment.js';
import { parseFeatureFile } from './parse-file.js';

const errorsOf = (path: string, content: string | Uint8Array, limits = {}) =>
  parseFeatureFile(path, content, limits).errors.map(formatDiagnostic);

function billionLaughs(levels: number, fanout: number): string {
  const lines = ['a0: &a0 "lol"'];
  for (let i = 1; i <= levels; i++)
    lines.push(`a${i}: &a${i} [${Array.from({ length: fanout }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

describe('limits against hostile input', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxFileBytes: 10485760,
      maxEnvironmentBytes: 52428800,
      maxFiles: 5000,
      maxAliasCount: 100,
      maxDepth: 64,
      maxDocumentsPerFile: 1000,
    });
    expect(byteLength('aé😀')).toBe(1 + 2 + 4);
  });

  it('rejects an over-size file before parsing it', () => {
    // Garbage that would be a syntax error if it were parsed: only the size error appears.
    expect(errorsOf('ns/features.yaml', ': : : [[[ '.repeat(20), { maxFileBytes: 100 })).toEqual([
      'ns/features.yaml: file is 200 bytes, more than the limit of 100 (split it into several files)',
    ]);
  });

  it('rejects an over-size environment before parsing any file', () => {
    const files = new Map([
      ['a/features.yaml', ': bad yaml ['.padEnd(60, ' ')],
      ['b/features.yaml', ': bad yaml ['.padEnd(60, ' ')],
    ]);
    const result = loadEnvironment(files, { limits: { maxEnvironmentBytes: 100 } });
    expect(result.ok ? [] : result.errors.map(formatDiagnostic)).toEqual([
      'feature files total 120 bytes, more than the limit of 100 (remove unused flags or raise maxEnvironmentBytes)',
    ]);
  });

  it('rejects too many feature files before parsing any', () => {
    const files = new Map(['a', 'b', 'c'].map((d) => [`${d}/features.yaml`, '[']));
    const result = loadEnvironment(files, { limits: { maxFiles: 2 } });
    expect(result.ok ? [] : result.errors.map(formatDiagnostic)).toEqual([
      '3 feature files, more than the limit of 2 (merge files or raise maxFiles)',
    ]);
  });

  it('rejects too many documents in one file', () => {
    expect(
      errorsOf('ns/features.yaml', '---\n{}\n---\n{}\n---\n{}\n', { maxDocumentsPerFile: 2 }),
    ).toEqual([
      'ns/features.yaml:5:1: more than 2 documents in one file (split the file or raise maxDocumentsPerFile)',
    ]);
    expect(errorsOf('ns/features.json', '{}\n{}\n{}', { maxDocumentsPerFile: 2 })).toEqual([
      'ns/features.json:3:1: more than 2 documents in one file (split the file or raise maxDocumentsPerFile)',
    ]);
  });

  it('rejects a billion-laughs document fast and in little memory', () => {
    const started = performance.now();
    const heap = process.memoryUsage().heapUsed;
    expect(errorsOf('ns/features.yaml', billionLaughs(9, 9))).toEqual([
      'ns/features.yaml:1:1: aliases expand more than 100 times (a YAML alias bomb?; use fewer aliases or raise maxAliasCount)',
    ]);
    expect(performance.now() - started).toBeLessThan(100);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(50 * 1024 * 1024);
  });

  it('rejects an alias that refers to its own ancestor', () => {
    expect(errorsOf('ns/features.yaml', 'flags: &x\n  - *x\n')).toEqual([
      'ns/features.yaml:1:1: nesting deeper than 64 levels once aliases are expanded (flatten the document)',
    ]);
  });

  it.each([
    [
      'YAML flow',
      'ns/features.yaml',
      `a: ${'['.repeat(5_000_000)}${']'.repeat(5_000_000)}`,
      'ns/features.yaml:1:68',
    ],
    [
      'YAML compact block',
      'ns/features.yaml',
      `a:\n  ${'- '.repeat(5_000_000)}x\n`,
      'ns/features.yaml:2:131',
    ],
    [
      'YAML indented block',
      'ns/features.yaml',
      Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
      'ns/features.yaml:1:1',
    ],
    [
      'JSON',
      'ns/features.json',
      `${'['.repeat(1000000)}${']'.repeat(1000000)}`,
      'ns/features.json:1:65',
    ],
  ])(
    'rejects nesting deeper than maxDepth without overflowing the stack (%s)',
    (_name, path, content, where) => {
      const started = performance.now();
      const errors = errorsOf(path, content);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(errors).toEqual([`${where}: nesting deeper than 64 levels (flatten the document)`]);
    },
    30_000,
  );

  it('finds duplicate keys in linear time, even in a huge map', () => {
    const keys = Array.from({ length: 50000 }, (_, i) => `      k${i}: 1`).join('\n');
    const started = performance.now();
    expect(
      errorsOf(
        'ns/features.yaml',
        `flags:\n  - key: f\n    name: f\n    metadata:\n${keys}\n      k7: 2\n`,
      ),
    ).toEqual(['ns/features.yaml:50005:7: Map keys must be unique (fix the YAML/JSON syntax)']);
    expect(performance.now() - started).toBeLessThan(5000);
  }, 30_000);

  it('returns at most 1000 errors, then a summary', () => {
    const flags = Array.from(
      { length: 1500 },
      (_, i) => `  - {key: f${i}, name: F, rules: [{segment: missing${i}}]}`,
    ).join('\n');
    const result = loadEnvironment(new Map([['ns/features.yaml', `flags:\n${flags}\n`]]));
    const errors = result.ok ? [] : result.errors;
    expect(errors).toHaveLength(1001);
    expect(formatDiagnostic(errors[1000] as (typeof errors)[number])).toBe(
      '500 more errors not shown (fix the ones above first)',
    );
  });

  it('accepts nesting up to maxDepth', () => {
    const nested = `flags: [{key: a, name: a, variants: [{key: v, attachment: ${'['.repeat(59)}${']'.repeat(59)}}]}]\n`;
    expect(errorsOf('ns/features.yaml', nested)).toEqual([]);
  });

  it.each([
    [
      'YAML',
      'ns/features.yaml',
      'flags:\n  - key: a\n    name: a\n    variants:\n      - key: v\n        attachment:\n          __proto__:\n            polluted: yes\n',
      'ns/features.yaml:7:11: flags[0].variants[0].attachment.__proto__',
    ],
    [
      'JSON',
      'ns/features.json',
      '{"flags": [{"key": "a", "name": "a", "metadata": {"constructor": {"prototype": {"polluted": true}}}}]}',
      'ns/features.json:1:51: flags[0].metadata.constructor',
    ],
    [
      'top level',
      'ns/features.yaml',
      'prototype: {polluted: true}\n',
      'ns/features.yaml:1:1: prototype',
    ],
  ])('rejects prototype keys with a clear error (%s)', (_name, path, content, where) => {
    const key = /\.?([_a-z]+)$/u.exec(where)?.[1] ?? '';
    expect(errorsOf(path, content)).toEqual([
      `${where}: key "${key}" is not allowed (it could alter object prototypes; rename the key)`,
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(errorsOf('ns/features.yaml', new Uint8Array([0x66, 0x6c, 0xff, 0xfe]))).toEqual([
      'ns/features.yaml: file is not valid UTF-8 (save it as UTF-8)',
    ]);
  });
});
