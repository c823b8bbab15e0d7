import { describe, expect, it } from 'vitest';
import { documentSchema, type DocumentInput } from '../model/schema.js';
import { formatDiagnostic } from './diagnostics.js';
import type { SourcedDocument } from './parse-file.js';
import { validateEnvironment } from './validate-environment.js';

/** Documents built in code (no source positions), as the console's write path produces them. */
function docs(...inputs: DocumentInput[]): SourcedDocument[] {
  return inputs.map((input, index) => ({
    file: `doc${index}.yaml`,
    index: 0,
    document: documentSchema.parse(input),
  }));
}

const segment = (key: string) => ({ key, name: key, match_type: 'ALL_MATCH_TYPE' as const });

describe('validateEnvironment', () => {
  it('merges namespaces in first-seen order; names come from the first document', () => {
    const result = validateEnvironment(
      docs(
        { namespace: 'b', flags: [{ key: 'f1', name: 'F1' }] },
        {
          version: '1.4',
          namespace: { key: 'a', name: 'Team A', description: 'first' },
          segments: [segment('s')],
        },
        {
          version: '1.4',
          namespace: { key: 'a', name: 'ignored' },
          flags: [{ key: 'f2', name: 'F2', variants: [{ key: 'v' }], rules: [{ segment: 's' }] }],
        },
        { namespace: 'b', flags: [{ key: 'f3', name: 'F3' }] },
      ),
    );
    expect(result.errors).toEqual([]);
    expect(
      result.environment?.namespaces.map((n) => [
        n.key,
        n.name,
        n.description,
        n.flags.map((f) => f.key).join(','),
      ]),
    ).toEqual([
      ['default', 'Default', undefined, ''],
      ['b', 'b', undefined, 'f1,f3'],
      ['a', 'Team A', 'first', 'f2'],
    ]);
  });

  it('keeps a declared default namespace where it was first seen, named Default', () => {
    const result = validateEnvironment(
      docs({ namespace: 'x' }, { flags: [{ key: 'f', name: 'F' }] }),
    );
    expect(result.environment?.namespaces.map((n) => `${n.key}:${n.name}`)).toEqual([
      'x:x',
      'default:Default',
    ]);
  });

  it('an empty environment has just the default namespace', () => {
    expect(validateEnvironment([])).toEqual({
      environment: { namespaces: [{ key: 'default', name: 'Default', flags: [], segments: [] }] },
      errors: [],
      warnings: [],
    });
  });

  it('checks version rules on documents built in code', () => {
    const result = validateEnvironment(
      docs({
        version: '1.1',
        flags: [
          {
            key: 'f',
            name: 'F',
            metadata: { a: 1 },
            variants: [{ key: 'v', default: true }],
            rules: [{ segment: { keys: ['s', 't'], operator: 'AND_SEGMENT_OPERATOR' } }],
          },
        ],
        segments: [segment('s'), segment('t')],
      }),
    );
    expect(result.environment).toBeUndefined();
    expect(result.errors.map(formatDiagnostic)).toEqual([
      'doc0.yaml: flags[0].metadata: flag metadata needs format 1.3 or later (remove metadata or set version: "1.3" or later)',
      'doc0.yaml: flags[0].variants[0].default: default variants need format 1.3 or later (remove default or set version: "1.3" or later)',
      'doc0.yaml: flags[0].rules[0].segment: several segments (keys/operator) need format 1.2 or later (use a single segment key or set version: "1.2" or later)',
    ]);
  });

  it('collects every error across documents, not just the first', () => {
    const result = validateEnvironment(
      docs(
        {
          flags: [
            {
              key: 'f',
              name: 'F',
              variants: [{ key: 'a' }],
              rules: [{ segment: 'nope', distributions: [{ variant: 'b', rollout: 10 }] }],
            },
          ],
        },
        { flags: [{ key: 'f', name: 'again' }], segments: [segment('s'), segment('s')] },
      ),
    );
    expect(result.errors.map((e) => `${e.file} ${e.code} ${e.path ?? ''}`)).toEqual([
      'doc0.yaml unknown-segment flags[0].rules[0].segment.keys[0]',
      'doc0.yaml unknown-variant flags[0].rules[0].distributions[0].variant',
      'doc1.yaml duplicate-key segments[1].key',
      'doc1.yaml duplicate-key flags[0].key',
    ]);
    expect(result.warnings.map((w) => w.code)).toEqual(['distribution-sum']);
  });

  it('warns when every distribution of a rule is 0', () => {
    const result = validateEnvironment(
      docs({
        flags: [
          {
            key: 'f',
            name: 'F',
            variants: [{ key: 'a' }],
            rules: [{ segment: 's', distributions: [{ variant: 'a', rollout: 0 }] }],
          },
        ],
        segments: [segment('s')],
      }),
    );
    expect(result.warnings.map(formatDiagnostic)).toEqual([
      'doc0.yaml: flags[0].rules[0].distributions: warning: every distribution is 0, so the rule can assign no variant (give at least one variant a share)',
    ]);
  });

  it('segments are per namespace', () => {
    const result = validateEnvironment(
      docs(
        { namespace: 'a', segments: [segment('s')] },
        { namespace: 'b', flags: [{ key: 'f', name: 'F', rules: [{ segment: 's' }] }] },
      ),
    );
    expect(result.errors.map((e) => e.message)).toEqual([
      'unknown segment "s" in namespace "b" (define it under segments: in namespace "b")',
    ]);
  });
});
