import { describe, expect, it } from 'vitest';
import { Activity, QUIET_MS } from './activity.js';

describe('Activity', () => {
  it('starts idle at the start time and moves with each request', () => {
    const a = new Activity(1_000);
    expect(a.lastActiveAt(0, 5_000)).toBe(1_000);
    const before = Date.now();
    a.mark();
    expect(a.lastActiveAt(0)).toBeGreaterThanOrEqual(before);
  });

  it('counts requests in progress (open streams) as activity now', () => {
    const a = new Activity(1_000);
    expect(a.lastActiveAt(1, 9_000)).toBe(9_000);
  });

  it('signals the first request after a quiet spell, not every request', () => {
    const a = new Activity(Date.now() - QUIET_MS - 1);
    let resumed = 0;
    a.onResume = () => resumed++;
    a.mark();
    a.mark();
    a.mark();
    expect(resumed).toBe(1);
  });
});
