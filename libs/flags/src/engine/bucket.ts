/**
 * The one bucketing module. Matches the evaluation engine inside Flipt's client SDKs, so that the
 * same snapshot gives the same answer server-side and client-side:
 * - variant bucket: crc32(flagKey + entityId) % 1000;
 * - boolean threshold bucket: crc32(entityId + flagKey) % 100, matching iff bucket < percentage;
 * - distribution boundaries: shares normalised to their float32 sum, cumulative, scaled to 1000
 *   and rounded (half away from zero), last boundary forced to 1000; all arithmetic in float32.
 */
import { crc32 } from './crc32.js';

const f32 = Math.fround;

/** Variant bucket of an entity for a flag, 0..999. */
export function variantBucket(flagKey: string, entityId: string): number {
  return crc32(flagKey, entityId) % 1000;
}

/** True when the entity falls inside a boolean threshold rollout of `percentage` percent. */
export function inThreshold(flagKey: string, entityId: string, percentage: number): boolean {
  return crc32(entityId, flagKey) % 100 < f32(percentage);
}

/** Rust's `f32::round`: half away from zero. */
function roundHalfAwayFromZero(x: number): number {
  // Math.round rounds halves towards +Infinity, which is "away from zero" for x >= 0.
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * Cumulative upper boundaries (exclusive, in 1..1000) for distributions with rollout > 0, in order.
 * The result is sorted ascending, as the client engine sorts before searching.
 */
export function distributionBoundaries(rollouts: readonly number[]): Int32Array {
  let total = f32(0);
  for (const r of rollouts) total = f32(total + f32(r));
  const out = new Int32Array(rollouts.length);
  let cum = f32(0);
  for (let i = 0; i < rollouts.length; i++) {
    cum = f32(cum + f32(f32(f32(rollouts[i]!) / total) * 100));
    out[i] = roundHalfAwayFromZero(f32(cum * 10)) | 0;
  }
  if (out.length > 0) out[out.length - 1] = 1000;
  return out.sort();
}

/**
 * Index of the distribution that owns `bucket`, or -1. Mirrors Rust's `binary_search(bucket + 1)`
 * (taking the index in both the found and not-found case): with equal boundaries the *last* equal
 * one is returned, otherwise the first boundary above the target.
 */
export function pickDistribution(boundaries: Int32Array, bucket: number): number {
  const target = bucket + 1;
  const n = boundaries.length;
  if (n === 0) return -1;
  let size = n;
  let base = 0;
  while (size > 1) {
    const half = size >>> 1;
    const mid = base + half;
    if (boundaries[mid]! <= target) base = mid;
    size -= half;
  }
  const v = boundaries[base]!;
  const idx = v === target ? base : v < target ? base + 1 : base;
  return idx >= n ? -1 : idx;
}
