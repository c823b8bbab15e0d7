import { afterEach, describe, expect, it, vi } from 'vitest';
import { isoNow } from './http-kit.js';

describe('isoNow', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('equals Date#toISOString at every millisecond, across second, day and year boundaries', () => {
    vi.useFakeTimers();
    const instants = [
      Date.UTC(2026, 11, 31, 23, 59, 58, 998),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1, 0, 0, 0, 0),
      Date.UTC(2027, 0, 1, 0, 0, 0, 7),
      Date.UTC(2027, 0, 1, 0, 0, 0, 42),
      Date.UTC(2027, 0, 1, 0, 0, 1, 500),
      // Back in time (a clock step): the cache must not keep the later second.
      Date.UTC(2026, 5, 15, 12, 30, 45, 123),
      5,
    ];
    for (const t of instants) {
      vi.setSystemTime(t);
      expect(isoNow()).toBe(new Date(t).toISOString());
      expect(isoNow()).toBe(new Date(t).toISOString());
    }
  });

  it('follows the real clock', () => {
    const before = Date.now();
    const at = Date.parse(isoNow());
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });
});
