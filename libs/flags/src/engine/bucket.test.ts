import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distributionBoundaries, inThreshold, pickDistribution, variantBucket } from './bucket.js';
import { crc32 } from './crc32.js';

describe('crc32', () => {
  // The engine keeps its own CRC-32 because it is about twice as fast as node:zlib's on short keys
  // (scripts/bench/crc32.ts) and the library stays free of Node built-ins; it must equal zlib's.
  it('equals node:zlib crc32 of the concatenated UTF-8 bytes, lone surrogates included', () => {
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
    );
    fc.assert(
      fc.property(fc.string({ unit }), fc.string({ unit }), (a, b) => {
        expect(crc32(a, b)).toBe(zlibCrc32(a + b));
      }),
      { numRuns: 2000, seed: 14 },
    );
  });

  it.each([
    ['123456789', 3421780262],
    ['foo1', 3476655244],
    ['flag_001some-fixed-entity-id', 1828167553],
    ['fixedflag_boolean', 4136381709],
    ['test-entitytest-flag', 4255329765],
    ['foo😀', 3015938538],
    ['fooü', 3533596050],
    ['', 0],
  ])('crc32(%j) = %d', (s, want) => {
    expect(crc32(s)).toBe(want);
  });

  it('hashes a + b without concatenating', () => {
    expect(crc32('foo', '1')).toBe(crc32('foo1'));
    expect(crc32('fo', 'o😀')).toBe(3015938538);
  });

  it('encodes lone surrogates as U+FFFD, like TextEncoder', () => {
    expect(crc32('a\ud800b')).toBe(crc32('a\ufffdb'));
    expect(crc32('a\udc00')).toBe(crc32('a\ufffd'));
  });
});

describe('buckets', () => {
  it('matches the reference vectors', () => {
    expect(variantBucket('foo', '1')).toBe(244);
    expect(variantBucket('foo', '2')).toBe(934);
    expect(variantBucket('flag_001', 'some-fixed-entity-id')).toBe(553);
    expect(variantBucket('foo', '123')).toBe(253);
  });

  it('threshold is a strict float32 comparison on crc32(entity + flag) % 100', () => {
    // crc32("user-48flag_boolean") % 100 = 50
    expect(inThreshold('flag_boolean', 'user-48', 50)).toBe(false);
    expect(inThreshold('flag_boolean', 'user-48', 50.5)).toBe(true);
    expect(inThreshold('test-flag', 'test-entity', 65)).toBe(false);
    expect(inThreshold('test-flag', 'test-entity', 65.01)).toBe(true);
    expect(inThreshold('x', 'y', 0)).toBe(false);
    expect(inThreshold('x', 'y', 100)).toBe(true);
  });
});

describe('distribution boundaries (client engine: normalised, rounded, last = 1000)', () => {
  it.each([
    [
      [33.33, 33.33, 33.34],
      [333, 667, 1000],
    ],
    [
      [10, 20],
      [333, 1000],
    ],
    [
      [80, 40],
      [667, 1000],
    ],
    [
      [50, 30, 20],
      [500, 800, 1000],
    ],
    [[10], [1000]],
    [
      [50, 50],
      [500, 1000],
    ],
  ])('%j → %j', (rollouts, want) => {
    expect([...distributionBoundaries(rollouts)]).toEqual(want);
  });

  it('picks the first boundary above the bucket', () => {
    const b = distributionBoundaries([33.33, 33.33, 33.34]);
    expect(pickDistribution(b, 0)).toBe(0);
    expect(pickDistribution(b, 332)).toBe(0);
    expect(pickDistribution(b, 333)).toBe(1);
    expect(pickDistribution(b, 666)).toBe(1); // the Rust client's answer; Flipt's v2 server says variant3
    expect(pickDistribution(b, 667)).toBe(2);
    expect(pickDistribution(b, 999)).toBe(2);
  });

  it('takes the last of equal boundaries, like Rust binary_search', () => {
    const b = Int32Array.from([500, 500, 1000]);
    expect(pickDistribution(b, 499)).toBe(1);
    expect(pickDistribution(b, 498)).toBe(0);
    expect(pickDistribution(b, 500)).toBe(2);
    expect(pickDistribution(new Int32Array(0), 1)).toBe(-1);
  });
});
