import { describe, expect, it } from 'vitest';
import { isSwitchyardError } from '../errors.js';
import { FlagWorkspace } from './workspace.js';

const FILE = `version: "1.4"
namespace: default
flags:
  # Kill switch.
  - key: search   # keep
    name: Search
    enabled: false

  - key: banner
    name: 'Banner'
segments:
  - key: beta
    name: Beta
    match_type: ANY_MATCH_TYPE
`;
const PATH = 'default/features.yaml';
const load = () => FlagWorkspace.load(new Map([[PATH, FILE]]));

function thrown(fn: () => void) {
  try {
    fn();
  } catch (e) {
    if (isSwitchyardError(e)) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('object sources (the YAML tab)', () => {
  it('returns the stored lines of a flag and a segment with their line range', () => {
    const ws = load();
    expect(ws.source('default', 'flags', 'search')).toEqual({
      file: PATH,
      text: '  - key: search   # keep\n    name: Search\n    enabled: false\n',
      start: FILE.indexOf('  - key: search'),
      end: FILE.indexOf('\n  - key: banner'),
      startLine: 5,
      endLine: 7,
    });
    expect(ws.source('default', 'segments', 'beta')).toMatchObject({
      text: '  - key: beta\n    name: Beta\n    match_type: ANY_MATCH_TYPE\n',
      startLine: 12,
      endLine: 14,
    });
    expect(ws.source('default', 'flags', 'nope')).toBeUndefined();
  });

  it('saving the text unchanged changes nothing; one edited value changes only that line', () => {
    const ws = load();
    const src = ws.source('default', 'flags', 'search')!;
    ws.replaceSource('default', 'flags', 'search', src.text);
    expect(ws.changes().size).toBe(0);
    const edited = load();
    edited.replaceSource(
      'default',
      'flags',
      'search',
      src.text.replace('enabled: false', 'enabled: true # on for all'),
    );
    edited.validate();
    expect(edited.changes().get(PATH)).toBe(
      FILE.replace('    enabled: false', '    enabled: true # on for all'),
    );
  });

  it('reports errors at file lines and refuses edits of other objects or of the key', () => {
    const src = load().source('default', 'flags', 'search')!;
    const bad = thrown(() =>
      load().replaceSource('default', 'flags', 'search', src.text.replace('false', '[oops')),
    );
    expect(bad.code).toBe('InvalidArgument');
    expect(bad.details[0]?.line).toBeGreaterThanOrEqual(5);
    expect(bad.details[0]?.file).toBe(PATH);
    const rename = thrown(() =>
      load().replaceSource('default', 'flags', 'search', src.text.replace('search', 'find')),
    );
    expect(rename.message).toMatch(/key must stay "search"/u);
    const extra = thrown(() =>
      load().replaceSource(
        'default',
        'flags',
        'search',
        `${src.text}  - key: more\n    name: More\n`,
      ),
    );
    expect(extra.message).toMatch(/may only change flag "search"/u);
  });
});
