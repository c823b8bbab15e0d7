import type { Flag } from '@switchyard/flags';

/** Keys of the flags whose rules or rollouts name the segment (a used segment cannot be deleted). */
export function flagsUsing(flags: readonly Flag[], segment: string): string[] {
  return flags
    .filter(
      (f) =>
        f.rules.some((r) => r.segment.keys.includes(segment)) ||
        f.rollouts.some((r) => r.segment?.keys.includes(segment)),
    )
    .map((f) => f.key);
}
