import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flagYaml } from '../diff/yaml.js';
import type { Flag, Segment } from '../model/schema.js';
import { copyFlag } from './copy.js';
import * as edits from './edits.js';
import { restoreFlag } from './restore-flag.js';
import { FlagWorkspace } from './workspace.js';

// A hand-written file: comments everywhere, odd quoting, blank lines, flow lists, a second document.
const FILE = `# Owned by the checkout team. Ask #checkout before changing.
version: "1.4"
namespace:
  key: default
  name: 'Default'

flags:
  # The new checkout, behind a flag since March.
  - key: checkout   # do not rename
    name: "Checkout"
    type: VARIANT_FLAG_TYPE
    enabled: true
    variants:
      - key: old
      - key: new   # the redesign
        attachment: { colour: "blue", size: 3 }
    rules:
      - segment: beta
        distributions:
          - variant: new
            rollout: 100

  # Kill switch for search.
  - key: search
    name: Search
    type: BOOLEAN_FLAG_TYPE
    enabled: false
    rollouts:
      - threshold:
          percentage: 50
          value: true

  - key: 'banner'
    name: Banner
    enabled: false
segments:
  # People who asked for early access.
  - key: beta
    name: Beta
    match_type: ANY_MATCH_TYPE
    constraints:
      - type: STRING_COMPARISON_TYPE
        property: plan
        operator: eq
        value: "beta"   # lower case
---
# The mobile apps.
namespace: mobile
flags:
  - key: dark
    name: Dark mode
`;

const PATH = 'default/features.yaml';
const load = (text = FILE) => FlagWorkspace.load(new Map([[PATH, text]]));
const flagOf = (ws: FlagWorkspace, ns: string, key: string): Flag =>
  ws.environment.namespaces.find((n) => n.key === ns)!.flags.find((f) => f.key === key)!;
const segmentOf = (ws: FlagWorkspace, key: string): Segment =>
  ws.environment.namespaces[0]!.segments.find((s) => s.key === key)!;

/** Lines of `before` missing from `after` and lines of `after` missing from `before` (a line diff). */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  return { removed: a.slice(head, a.length - tail), added: b.slice(head, b.length - tail) };
}

function written(ws: FlagWorkspace): string {
  ws.validate();
  const text = ws.changes().get(PATH);
  if (typeof text !== 'string') throw new Error('the file did not change');
  return text;
}

describe('comment-preserving writes', () => {
  it('toggling a flag changes exactly its enabled line', () => {
    const ws = load();
    edits.putFlag(ws, 'default', { ...flagOf(ws, 'default', 'search'), enabled: true });
    const out = written(ws);
    expect(changedLines(FILE, out)).toEqual({
      removed: ['    enabled: false'],
      added: ['    enabled: true'],
    });
  });

  it('keeps a trailing comment on a changed scalar line', () => {
    const ws = load();
    edits.putFlag(ws, 'default', { ...flagOf(ws, 'default', 'checkout'), name: 'Checkout v2' });
    expect(changedLines(FILE, written(ws))).toEqual({
      removed: ['    name: "Checkout"'],
      added: ['    name: Checkout v2'],
    });
  });

  it('adds and removes fields and list items inside one flag only', () => {
    const ws = load();
    const f = flagOf(ws, 'default', 'checkout');
    edits.putFlag(ws, 'default', {
      ...f,
      description: 'the redesign',
      variants: [...f.variants, { key: 'control' } as Flag['variants'][number]],
      rules: [],
    });
    const out = written(ws);
    const { removed, added } = changedLines(FILE, out);
    expect(out).toContain('# The new checkout, behind a flag since March.');
    expect(out).toContain('- key: new   # the redesign');
    expect(out).toContain('  - key: checkout   # do not rename\n');
    expect(added).toEqual(expect.arrayContaining(['    description: the redesign']));
    expect(added).toContain('      - key: control');
    expect(removed).toContain('    rules:');
    // Nothing outside the flag's lines moved.
    expect(out.slice(out.indexOf('  # Kill switch'))).toBe(
      FILE.slice(FILE.indexOf('  # Kill switch')),
    );
    expect(out.slice(0, out.indexOf('    enabled: true'))).toBe(
      FILE.slice(0, FILE.indexOf('    enabled: true')).replace(
        '    type: VARIANT_FLAG_TYPE\n',
        '    type: VARIANT_FLAG_TYPE\n    description: the redesign\n',
      ),
    );
  });

  it('deletes one flag with its own comment and blank line, keeping its neighbours', () => {
    const ws = load();
    edits.deleteFlag(ws, 'default', 'search');
    const out = written(ws);
    expect(out).not.toContain('search');
    expect(out).toContain("            rollout: 100\n\n  - key: 'banner'\n");
    expect(out).toContain('# The new checkout, behind a flag since March.');
    expect(out).toContain("  - key: 'banner'");
    expect(out.split('\n').length).toBeLessThan(FILE.split('\n').length);
  });

  it('appends a new flag after the last one, in the same style', () => {
    const ws = load();
    edits.putFlag(ws, 'default', {
      ...flagOf(ws, 'default', 'banner'),
      key: 'promo',
      name: 'Promo',
    });
    const { removed, added } = changedLines(FILE, written(ws));
    expect(removed).toEqual([]);
    expect(added).toEqual([
      '  - key: promo',
      '    name: Promo',
      '    type: VARIANT_FLAG_TYPE',
      '    enabled: false',
    ]);
  });

  it('edits a segment constraint and a flag in the second document without touching the rest', () => {
    const ws = load();
    const beta = segmentOf(ws, 'beta');
    edits.putSegment(ws, 'default', {
      ...beta,
      constraints: [{ ...beta.constraints[0]!, value: 'gamma' }],
    });
    const dark = ws.environment.namespaces[1]!.flags[0]!;
    edits.putFlag(ws, 'mobile', { ...dark, enabled: true });
    const out = written(ws);
    expect(out).toContain('        value: gamma   # lower case\n');
    expect(out).toContain('# The mobile apps.\nnamespace: mobile\n');
    expect(out.endsWith('    name: Dark mode\n    enabled: true\n')).toBe(true);
  });

  it('restores a flag (semantic revert) by patching only its node', () => {
    const ws = load();
    const past = ws.doc({ file: PATH, index: 0 });
    const changed = load();
    edits.putFlag(changed, 'default', { ...flagOf(changed, 'default', 'search'), enabled: true });
    const now = written(changed);
    const again = FlagWorkspace.load(new Map([[PATH, now]]));
    again.edit({ file: PATH, index: 0 }, (d) => restoreFlag(d, past, 'search').document);
    expect(written(again)).toBe(FILE);
  });

  it('setting rules and rollouts (a new rule, a new threshold) keeps the existing rules’ text', () => {
    const ws = load();
    edits.setFlagList(ws, 'default', 'search', {
      rollouts: [{ description: undefined, threshold: { percentage: 75, value: true } }],
    });
    edits.setFlagList(ws, 'default', 'checkout', {
      rules: [
        ...flagOf(ws, 'default', 'checkout').rules,
        {
          segment: { keys: ['beta'], operator: 'OR_SEGMENT_OPERATOR' },
          distributions: [{ variant: 'old', rollout: 100 }],
        },
      ],
    });
    const out = written(ws);
    expect(out).toContain('          percentage: 75\n');
    expect(out.replace('          percentage: 75\n', '          percentage: 50\n')).toBe(
      FILE.replace(
        '            rollout: 100\n\n',
        '            rollout: 100\n      - segment:\n          keys:\n            - beta\n          operator: OR_SEGMENT_OPERATOR\n        distributions:\n          - variant: old\n            rollout: 100\n\n',
      ),
    );
  });

  it('promotion copies a flag into another environment’s file without rewriting it', () => {
    const source = load(
      FILE.replace(
        "  - key: 'banner'\n    name: Banner\n    enabled: false",
        "  - key: 'banner'\n    name: Banner\n    enabled: true",
      ),
    );
    const target = load();
    copyFlag(source, target, 'default', 'banner');
    const { removed, added } = changedLines(FILE, written(target));
    expect(removed).toEqual(['    enabled: false']);
    expect(added).toEqual(['    enabled: true']);
  });

  it('validation still runs on the patched file', () => {
    const ws = load();
    const f = flagOf(ws, 'default', 'checkout');
    edits.putFlag(ws, 'default', {
      ...f,
      rules: [{ ...f.rules[0]!, segment: { keys: ['nobody'], operator: 'OR_SEGMENT_OPERATOR' } }],
    });
    expect(() => ws.validate()).toThrow(/nobody/u);
  });

  it('property: any change to one flag leaves every line outside that flag identical', () => {
    const keys = ['checkout', 'search', 'banner'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        fc.record({
          enabled: fc.boolean(),
          name: fc.string({ minLength: 1, maxLength: 12 }),
          description: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
          metadata: fc.option(
            fc.dictionary(fc.constantFrom('team', 'owner', 'ticket'), fc.string()),
            {
              nil: undefined,
            },
          ),
        }),
        (key, change) => {
          const ws = load();
          const before = flagOf(ws, 'default', key);
          const next = { ...before, ...change };
          if (next.metadata && Object.keys(next.metadata).length === 0) next.metadata = undefined;
          edits.putFlag(ws, 'default', next);
          ws.validate();
          const out = ws.changes().get(PATH) ?? FILE;
          const reloaded = FlagWorkspace.load(new Map([[PATH, out]]));
          expect(flagYaml('default', flagOf(reloaded, 'default', key))).toBe(
            flagYaml('default', next),
          );
          // Every other flag's block, every comment and the segments are byte-identical.
          const blocks = (text: string) => text.split(/\n(?= {2}(?:#|- key))/u);
          const others = (text: string) =>
            blocks(text).filter((b) => !new RegExp(`- key: '?${key}'?\\b`, 'u').test(b));
          expect(others(out)).toEqual(others(FILE));
          for (const comment of FILE.match(/#[^\n]*/gu)!) expect(out).toContain(comment);
        },
      ),
      { numRuns: 100 },
    );
  }, 120_000);
});
