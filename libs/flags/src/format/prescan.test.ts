import { describe, expect, it } from 'vitest';
import { prescanDepth } from './prescan.js';

describe('prescanDepth', () => {
  it('counts flow openers where a flow collection can start', () => {
    expect(prescanDepth('a: [[[x]]]\n', 3)).toBe(-1);
    expect(prescanDepth('a: [[[[x]]]]\n', 3)).toBe(6);
  });

  it('ignores brackets inside quoted and plain scalars and comments', () => {
    const text = `a: "[[[[[["\nb: '[[[[[['\nc: x[[[[[[\nd: 1 # [[[[[[\ne: it's [[[[\n`;
    expect(prescanDepth(text, 3)).toBe(-1);
  });

  it('counts compact block indicators on one line', () => {
    expect(prescanDepth('- - - x\n', 3)).toBe(-1);
    expect(prescanDepth('- - - - x\n', 3)).toBe(6);
  });

  it('forgets unbalanced openers at the next top-level key', () => {
    const text = 'a: |\n  [[[[\nb: |\n  [[[[\n';
    expect(prescanDepth(text, 5)).toBe(-1);
  });
});
