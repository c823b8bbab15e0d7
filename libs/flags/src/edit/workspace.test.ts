import { describe, expect, it } from 'vitest';
import { isSwitchyardError } from '../errors.js';
import type { Flag } from '../model/schema.js';
import * as edits from './edits.js';
import { FlagWorkspace } from './workspace.js';

const flag = (key: string, extra: Partial<Flag> = {}): Flag =>
  ({
    key,
    name: key,
    enabled: false,
    type: 'VARIANT_FLAG_TYPE',
    variants: [],
    rules: [],
    rollouts: [],
    ...extra,
  }) as Flag;

// A Flipt v1 repository: an index, a multi-document YAML file and a JSON file.
const files = () =>
  new Map<string, string>([
    ['.flipt.yml', 'version: "1.0"\ninclude:\n  - "*.features.yml"\n  - "*.features.json"\n'],
    [
      'team-a.features.yml',
      'namespace: default\nflags:\n  - key: a1\n    name: A1\n---\nnamespace: mobile\nflags:\n  - key: m1\n    name: M1\n',
    ],
    [
      'team-b.features.json',
      JSON.stringify({ namespace: 'default', flags: [{ key: 'b1', name: 'B1' }] }),
    ],
    ['README.md', '# not a flag file\n'],
  ]);

describe('FlagWorkspace', () => {
  it('edits a flag in the file and document it lives in, leaving every other file untouched', () => {
    const ws = FlagWorkspace.load(files());
    edits.putFlag(ws, 'default', flag('b1', { description: 'edited' }));
    const changes = ws.changes();
    expect([...changes.keys()]).toEqual(['team-b.features.json']);
    expect(JSON.parse(changes.get('team-b.features.json')!)).toMatchObject({
      flags: [{ key: 'b1', description: 'edited' }],
    });
    ws.validate();
  });

  it('keeps the other documents of a multi-document YAML file', () => {
    const ws = FlagWorkspace.load(files());
    edits.putFlag(ws, 'mobile', flag('m2'));
    const out = ws.changes().get('team-a.features.yml')!;
    expect(out.split('---\n')).toHaveLength(2);
    expect(out).toContain('key: a1');
    expect(out).toContain('key: m2');
    ws.validate();
  });

  it('appends new flags to the first document of the namespace and reports no change for a no-op', () => {
    const ws = FlagWorkspace.load(files());
    edits.putFlag(ws, 'default', flag('new'));
    expect([...ws.changes().keys()]).toEqual(['team-a.features.yml']);
    // Once a file is in serialised form, writing the same flag again changes nothing.
    const first = FlagWorkspace.load(files());
    edits.putFlag(first, 'default', flag('b1', { description: 'x' }));
    const next = files();
    for (const [path, content] of first.changes()) next.set(path, content!);
    const again = FlagWorkspace.load(next);
    edits.putFlag(again, 'default', flag('b1', { description: 'x' }));
    expect(again.changes().size).toBe(0);
  });

  it('validation failures are InvalidArgument with file paths; unknown namespaces are NotFound', () => {
    const ws = FlagWorkspace.load(files());
    edits.putFlag(
      ws,
      'default',
      flag('bad', {
        rules: [
          { segment: { keys: ['missing'], operator: 'OR_SEGMENT_OPERATOR' }, distributions: [] },
        ],
      }),
    );
    const err = (() => {
      try {
        ws.validate();
      } catch (e) {
        return e;
      }
    })();
    expect(isSwitchyardError(err, 'InvalidArgument')).toBe(true);
    expect(() => edits.putFlag(FlagWorkspace.load(files()), 'nope', flag('x'))).toThrow(
      /namespace "nope" not found/,
    );
    expect(() => edits.deleteNamespace(FlagWorkspace.load(files()), 'default')).toThrow(
      /default namespace/,
    );
  });
});
