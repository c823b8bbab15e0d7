import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay, jitter } from './backoff.js';

/** A random source that returns `values` in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('jitter', () => {
  it('spreads by ± the fraction, from the low end (random 0) to the high end (random → 1)', () => {
    expect(jitter(1000, 0.2, () => 0)).toBe(800);
    expect(jitter(1000, 0.2, () => 0.5)).toBe(1000);
    expect(jitter(1000, 0.2, () => 0.999999)).toBe(1200);
    expect(jitter(1000, 0.5, () => 0)).toBe(500);
  });

  it('is exact with fraction 0 and never negative', () => {
    expect(jitter(1234.4, 0, () => 0)).toBe(1234);
    expect(jitter(-5, 0.2, () => 0)).toBe(0);
  });
});

describe('backoffDelay', () => {
  const exact = { initialMs: 250, maxMs: 5_000, jitter: 0 };

  it('doubles from the initial delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelay(exact, n))).toEqual([
      250, 500, 1000, 2000, 4000, 5000, 5000, 5000,
    ]);
  });

  it('treats 0 failures like the first and survives huge counts', () => {
    expect(backoffDelay(exact, 0)).toBe(250);
    expect(backoffDelay(exact, 10_000)).toBe(5000);
  });

  it('honours another factor', () => {
    expect([1, 2, 3].map((n) => backoffDelay({ ...exact, factor: 3 }, n))).toEqual([
      250, 750, 2250,
    ]);
  });

  it('jitters around the capped delay (default ±20 %)', () => {
    const p = { initialMs: 1000, maxMs: 4000 };
    expect(backoffDelay(p, 1, () => 0)).toBe(800);
    expect(backoffDelay(p, 3, () => 0.999999)).toBe(4800);
    expect(backoffDelay(p, 9, () => 0)).toBe(3200);
  });

  it('never goes below minMs, even with jitter', () => {
    const p = { initialMs: 1000, maxMs: 8000, minMs: 1000 };
    expect(backoffDelay(p, 1, () => 0)).toBe(1000);
    expect(backoffDelay(p, 2, () => 0)).toBe(1600);
  });

  it('stays within the jitter bounds for any random value', () => {
    const p = { initialMs: 100, maxMs: 10_000, jitter: 0.5 };
    for (let n = 1; n < 12; n++)
      for (let r = 0; r < 1; r += 0.01) {
        const base = Math.min(100 * 2 ** (n - 1), 10_000);
        const d = backoffDelay(p, n, () => r);
        expect(d).toBeGreaterThanOrEqual(Math.round(base * 0.5));
        expect(d).toBeLessThanOrEqual(Math.round(base * 1.5));
      }
  });
});

describe('Backoff', () => {
  it('counts failures, grows, and starts over after reset', () => {
    const b = new Backoff({ initialMs: 250, maxMs: 1000, jitter: 0 });
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([250, 500, 1000, 1000]);
    expect(b.failures).toBe(4);
    b.reset();
    expect(b.failures).toBe(0);
    expect(b.next()).toBe(250);
  });

  it('saturate jumps to the cap and stays there', () => {
    const b = new Backoff({ initialMs: 1000, maxMs: 30_000, jitter: 0 });
    expect(b.next()).toBe(1000);
    b.saturate();
    expect([b.next(), b.next()]).toEqual([30_000, 30_000]);
    b.reset();
    expect(b.next()).toBe(1000);
  });

  it('saturate on a cap that is not a power of the factor still reaches the cap', () => {
    const b = new Backoff({ initialMs: 300, maxMs: 1000, jitter: 0 });
    b.saturate();
    expect(b.next()).toBe(1000);
  });

  it('draws jitter from the injected random source', () => {
    const b = new Backoff({ initialMs: 1000, maxMs: 10_000, jitter: 0.5 }, sequence(0, 0.5, 0.75));
    expect([b.next(), b.next(), b.next()]).toEqual([500, 2000, 5000]);
  });
});
