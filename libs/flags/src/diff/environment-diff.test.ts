import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../format/load-environment.js';
import type { Environment } from '../model/schema.js';
import { diffEnvironments } from './index.js';

/** An environment from one feature file's YAML (throws when it does not load). */
function env(yaml: string): Environment {
  const r = loadEnvironment(new Map([['features.yaml', yaml]]));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.environment;
}

const before = env(`
namespace: default
flags:
  - key: checkout
    name: Checkout
    type: VARIANT_FLAG_TYPE
    enabled: false
    variants:
      - key: on
      - key: off
  - key: legacy
    name: Legacy
    type: BOOLEAN_FLAG_TYPE
    enabled: true
segments:
  - key: beta
    name: Beta
    match_type: ALL_MATCH_TYPE
    constraints:
      - type: STRING_COMPARISON_TYPE
        property: plan
        operator: eq
        value: pro
`);

describe('diffEnvironments', () => {
  it('finds nothing between equal environments', () => {
    expect(diffEnvironments(before, before)).toEqual([]);
  });

  it('groups field changes by flag and segment: modified, added and removed', () => {
    const after = env(`
namespace: default
flags:
  - key: checkout
    name: Checkout
    type: VARIANT_FLAG_TYPE
    enabled: true
    variants:
      - key: on
      - key: off
  - key: fresh
    name: Fresh
    type: BOOLEAN_FLAG_TYPE
    enabled: false
segments:
  - key: beta
    name: Beta
    match_type: ALL_MATCH_TYPE
    constraints:
      - type: STRING_COMPARISON_TYPE
        property: plan
        operator: eq
        value: enterprise
`);
    const changes = diffEnvironments(before, after);
    expect(changes.map((c) => [c.kind, c.key, c.status])).toEqual([
      ['flag', 'checkout', 'modified'],
      ['flag', 'fresh', 'added'],
      ['flag', 'legacy', 'removed'],
      ['segment', 'beta', 'modified'],
    ]);
    expect(changes[0]!.changes).toEqual([
      { kind: 'changed', path: ['enabled'], before: false, after: true },
    ]);
    expect(changes[3]!.changes).toEqual([
      {
        kind: 'changed',
        path: ['constraints', 0, 'value'],
        before: 'pro',
        after: 'enterprise',
      },
    ]);
    // Added and removed flags list their fields, not one whole value.
    expect(changes[1]!.changes.map((c) => [c.kind, c.path])).toContainEqual(['added', ['key']]);
    expect(changes[1]!.changes.every((c) => c.kind === 'added' && c.path.length === 1)).toBe(true);
    // An added flag without rules lists no empty `rules` row.
    expect(changes[1]!.changes.map((c) => c.path[0])).not.toContain('rules');
    expect(changes[2]!.changes.every((c) => c.kind === 'removed' && c.path.length === 1)).toBe(
      true,
    );
  });

  it('reports a new namespace and its flags; an absent side counts as empty', () => {
    const empty = env('flags: []');
    const after = env(`
namespace:
  key: payments
  name: Payments
flags:
  - key: refunds
    name: Refunds
    type: BOOLEAN_FLAG_TYPE
    enabled: true
`);
    const changes = diffEnvironments(empty, after);
    expect(changes.map((c) => [c.namespace, c.kind, c.key, c.status])).toEqual([
      ['payments', 'namespace', 'payments', 'added'],
      ['payments', 'flag', 'refunds', 'added'],
    ]);
    expect(
      diffEnvironments(after, undefined)
        .filter((c) => c.namespace === 'payments')
        .map((c) => [c.kind, c.status]),
    ).toEqual([
      ['namespace', 'removed'],
      ['flag', 'removed'],
    ]);
  });
});
