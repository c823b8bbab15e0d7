import { describe, expect, it } from 'vitest';
import { parseDescribedError, readObservedState } from './observed-state.js';

describe('parseDescribedError (the text form older instances send)', () => {
  it.each([
    [
      'commit 0123456789ab: default/features.yaml:7:3: unknown variant "x" (add it) (default/features.yaml:7) at 0123456789ab',
      { revision: '0123456789ab', file: 'default/features.yaml', line: 7 },
    ],
    ['fetch failed: connection refused', { revision: null, file: null, line: null }],
    [
      'too many files (flags) at abcdef1234567',
      { revision: 'abcdef1234567', file: 'flags', line: null },
    ],
    // "(how to fix)" has spaces: never taken for a file
    [
      'bad value (use a number) at abcdef1234567',
      { revision: 'abcdef1234567', file: null, line: null },
    ],
  ])('%s', (text, expected) => {
    const parsed = parseDescribedError(text);
    expect(parsed).toMatchObject(expected);
    expect(text.startsWith(parsed.message)).toBe(true);
  });
});

describe('readObservedState', () => {
  it('reads rows written before structured errors and restarts existed', () => {
    const o = readObservedState({
      environments: [
        {
          key: 'prod',
          revision: 'a'.repeat(40),
          ready: true,
          lastError: 'x (f.yaml:2) at abcdef1',
          lastSyncAt: null,
        },
      ],
      configVersion: 'v',
      httpPort: 1,
      grpcPort: 2,
      grpcAddress: null,
    });
    expect(o?.environments[0]?.error).toMatchObject({
      message: 'x',
      file: 'f.yaml',
      line: 2,
      revision: 'abcdef1',
    });
    expect(o?.restarts).toBeNull();
    expect(readObservedState(null)).toBeNull();
    expect(readObservedState({ environments: [{ nokey: 1 }] })?.environments).toEqual([]);
  });
});
