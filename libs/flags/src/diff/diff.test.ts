import { describe, expect, it } from 'vitest';
import { flagSchema, segmentSchema, type Flag } from '../model/schema.js';
import { parseFeatureFile } from '../format/parse-file.js';
import {
  diffFlag,
  diffLines,
  diffNamespace,
  diffSegment,
  flagYaml,
  formatFieldPath,
  unifiedDiff,
} from './index.js';

const base: Flag = flagSchema.parse({
  key: 'checkout',
  name: 'Checkout',
  enabled: true,
  variants: [{ key: 'on', attachment: { color: 'blue' } }, { key: 'off' }],
  rules: [
    {
      segment: 'beta',
      distributions: [
        { variant: 'on', rollout: 50 },
        { variant: 'off', rollout: 50 },
      ],
    },
  ],
});

function edit(f: (flag: Flag) => void): Flag {
  const copy = structuredClone(base);
  f(copy);
  return copy;
}

describe('diffFlag', () => {
  it('finds nothing between equal states', () => {
    expect(diffFlag(base, structuredClone(base))).toEqual([]);
  });

  it('names a changed scalar by its path', () => {
    const changes = diffFlag(
      base,
      edit((f) => (f.enabled = false)),
    );
    expect(changes).toEqual([{ kind: 'changed', path: ['enabled'], before: true, after: false }]);
  });

  it('matches variants by key, so an insertion does not shift later variants', () => {
    const after = edit((f) =>
      f.variants.unshift({ key: 'new', description: undefined, attachment: undefined }),
    );
    const changes = diffFlag(base, after);
    expect(changes).toEqual([
      { kind: 'added', path: ['variants', { id: 'new' }], after: { key: 'new' } },
    ]);
  });

  it('reports a nested attachment change under the variant key', () => {
    const after = edit((f) => (f.variants[0]!.attachment = { color: 'red' }));
    const [change] = diffFlag(base, after);
    expect(formatFieldPath(change!.path)).toBe('variants[on].attachment.color');
    expect(change).toMatchObject({ kind: 'changed', before: 'blue', after: 'red' });
  });

  it('matches distributions by variant and reports a reorder as a move', () => {
    const after = edit((f) => {
      const d = f.rules[0]!.distributions;
      d.reverse();
      d[0]!.rollout = 70;
      d[1]!.rollout = 30;
    });
    const changes = diffFlag(base, after).map((c) => [c.kind, formatFieldPath(c.path)]);
    expect(changes).toEqual([
      ['changed', 'rules[0].distributions[on].rollout'],
      ['changed', 'rules[0].distributions[off].rollout'],
      ['moved', 'rules[0].distributions'],
    ]);
  });

  it('compares rules by position (their order decides evaluation)', () => {
    const after = edit((f) =>
      f.rules.push({
        segment: { keys: ['a', 'b'], operator: 'AND_SEGMENT_OPERATOR' },
        distributions: [],
      }),
    );
    expect(diffFlag(base, after)).toEqual([
      { kind: 'added', path: ['rules', 1], after: after.rules[1] },
    ]);
  });

  it('treats a missing side as creation or deletion of the whole flag', () => {
    expect(diffFlag(undefined, base)).toEqual([{ kind: 'added', path: [], after: base }]);
    expect(diffFlag(base, undefined)).toEqual([{ kind: 'removed', path: [], before: base }]);
    expect(formatFieldPath([])).toBe('(whole)');
  });

  it('reports an added optional field (metadata) as added', () => {
    const after = edit((f) => (f.metadata = { team: 'payments' }));
    expect(diffFlag(base, after)).toEqual([
      { kind: 'added', path: ['metadata'], after: { team: 'payments' } },
    ]);
  });
});

describe('diffSegment and diffNamespace', () => {
  it('compares constraints and isoneof lists by position', () => {
    const a = segmentSchema.parse({
      key: 'beta',
      name: 'Beta',
      match_type: 'ALL_MATCH_TYPE',
      constraints: [
        {
          type: 'STRING_COMPARISON_TYPE',
          property: 'plan',
          operator: 'isoneof',
          value: ['a', 'b'],
        },
      ],
    });
    const b = structuredClone(a);
    (b.constraints[0]!.value as string[]).push('c');
    b.match_type = 'ANY_MATCH_TYPE';
    expect(diffSegment(a, b).map((c) => formatFieldPath(c.path))).toEqual([
      'match_type',
      'constraints[0].value[2]',
    ]);
  });

  it('matches a namespace’s flags and segments by key', () => {
    const ns = { key: 'default', name: 'Default', flags: [base], segments: [] };
    const other = edit((f) => (f.key = 'other'));
    const changes = diffNamespace(ns, { ...ns, flags: [other, base] });
    expect(changes).toEqual([{ kind: 'added', path: ['flags', { id: 'other' }], after: other }]);
  });
});

describe('diffLines and unifiedDiff', () => {
  it('is empty for equal texts and marks every line equal', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
    expect(diffLines('a\nb\n', 'a\nb\n').every((l) => l.op === 'equal')).toBe(true);
  });

  it('finds a shortest edit script with line numbers on both sides', () => {
    const lines = diffLines('a\nb\nc\n', 'a\nx\nc\nd\n');
    expect(lines).toEqual([
      { op: 'equal', text: 'a', oldLine: 1, newLine: 1 },
      { op: 'delete', text: 'b', oldLine: 2 },
      { op: 'insert', text: 'x', newLine: 2 },
      { op: 'equal', text: 'c', oldLine: 3, newLine: 3 },
      { op: 'insert', text: 'd', newLine: 4 },
    ]);
  });

  it('renders hunks as diff -u does, splitting distant changes', () => {
    const old = Array.from({ length: 20 }, (_, i) => `l${i + 1}`).join('\n') + '\n';
    const next = old.replace('l2\n', 'L2\n').replace('l18\n', 'L18\n');
    expect(unifiedDiff(old, next, { context: 1, oldLabel: 'a/f.yml', newLabel: 'b/f.yml' })).toBe(
      [
        '--- a/f.yml',
        '+++ b/f.yml',
        '@@ -1,3 +1,3 @@',
        ' l1',
        '-l2',
        '+L2',
        ' l3',
        '@@ -17,3 +17,3 @@',
        ' l17',
        '-l18',
        '+L18',
        ' l19',
        '',
      ].join('\n'),
    );
  });

  it('numbers an empty side as diff -u does', () => {
    expect(unifiedDiff('', 'a\nb\n')).toBe('--- before\n+++ after\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('a\n', '')).toBe('--- before\n+++ after\n@@ -1 +0,0 @@\n-a\n');
  });
});

describe('flagYaml', () => {
  it('writes a flag as a document that parses back to the same flag', () => {
    const text = flagYaml('default', base);
    const parsed = parseFeatureFile('f.yml', text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.documents[0]!.document.flags[0]).toEqual(base);
    expect(flagYaml('default', undefined)).toBe('');
  });

  it('makes a one-field edit a small YAML diff', () => {
    const diff = unifiedDiff(
      flagYaml('default', base),
      flagYaml(
        'default',
        edit((f) => (f.enabled = false)),
      ),
    );
    expect(diff.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual([
      '-    enabled: true',
      '+    enabled: false',
    ]);
  });
});
