import { describe, expect, it } from 'vitest';
import { requestedProtocol } from './git-environment.js';

describe('requestedProtocol', () => {
  it.each([
    [undefined, 0],
    ['', 0],
    ['version=0', 0],
    ['version=1', 1],
    ['version=2', 2],
    ['version=1:version=2', 2],
    ['version=2:version=1', 2],
    ['version=3', 0],
    ['version=3:version=1', 1],
    ['version=2;rm -rf /', 0],
    ['version=2:object-format=sha1', 0],
    ['version=2:', 0],
    ['Version=2', 0],
    [['version=2', 'version=2'], 0],
    ['version=2' + ':version=2'.repeat(8), 0],
  ] as const)('%j → %i', (header, expected) => {
    expect(requestedProtocol(header as string | string[] | undefined)).toBe(expected);
  });
});
