import { describe, expect, it } from 'vitest';
import { nextDelay } from './sync-backoff.js';

const low = () => 0;
const high = () => 0.999999;

describe('nextDelay', () => {
  it('polls at the interval ±20 % while healthy', () => {
    expect(nextDelay(10_000, 0, 60_000, low)).toBe(8_000);
    expect(nextDelay(10_000, 0, 60_000, high)).toBe(12_000);
  });

  it('backs off from the interval, doubling up to the cap (±20 %)', () => {
    expect([1, 2, 3, 4, 5].map((f) => nextDelay(10_000, f, 60_000, () => 0.5))).toEqual([
      10_000, 20_000, 40_000, 60_000, 60_000,
    ]);
    expect(nextDelay(10_000, 16, 60_000, high)).toBe(72_000);
  });

  it('never waits less than the poll interval after a failure, even with jitter', () => {
    expect(nextDelay(10_000, 1, 60_000, low)).toBe(10_000);
    expect(nextDelay(10_000, 2, 60_000, low)).toBe(16_000);
  });

  it('a cap below the poll interval is raised to it', () => {
    expect(nextDelay(10_000, 5, 1_000, () => 0.5)).toBe(10_000);
  });
});
