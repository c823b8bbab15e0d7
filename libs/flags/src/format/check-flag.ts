/**
 * Checks one flag against its namespace: segment references, variants and distributions,
 * default variants, and constructs a flag type ignores.
 */
import type { Flag } from '../model/schema.js';
import { closest } from './diagnostics.js';

/** Receives one finding at a document path. */
export type Report = (
  severity: 'error' | 'warning',
  code: string,
  path: PropertyKey[],
  message: string,
) => void;

/** Returns an "unknown segment" message for a key that does not resolve, else undefined. */
export type SegmentLookup = (key: string) => string | undefined;

/** Reports every problem of `flag` (at `at`, e.g. `['flags', 3]`). */
export function checkFlag(
  flag: Flag,
  at: PropertyKey[],
  lookup: SegmentLookup,
  report: Report,
): void {
  checkVariants(flag, at, report);
  flag.rules.forEach((rule, j) => {
    const path = [...at, 'rules', j];
    rule.segment.keys.forEach((key, k) => {
      const problem = lookup(key);
      if (problem !== undefined)
        report('error', 'unknown-segment', [...path, 'segment', 'keys', k], problem);
    });
    checkDistributions(flag, rule.distributions, path, report);
  });
  flag.rollouts.forEach((rollout, j) => {
    rollout.segment?.keys.forEach((key, k) => {
      const problem = lookup(key);
      if (problem !== undefined)
        report('error', 'unknown-segment', [...at, 'rollouts', j, 'segment', 'keys', k], problem);
    });
  });
  if (flag.type === 'BOOLEAN_FLAG_TYPE') checkBooleanFlag(flag, at, report);
}

function checkVariants(flag: Flag, at: PropertyKey[], report: Report): void {
  const seen = new Set<string>();
  let defaults = 0;
  flag.variants.forEach((v, j) => {
    if (seen.has(v.key))
      report(
        'error',
        'duplicate-key',
        [...at, 'variants', j, 'key'],
        `variant "${v.key}" appears twice in flag "${flag.key}" (rename or remove one of them)`,
      );
    seen.add(v.key);
    // Flipt lets the last of several defaults win and existing repositories must keep loading,
    // so this warns; the engine also takes the last one.
    if (v.default === true && ++defaults > 1)
      report(
        'warning',
        'default-variant',
        [...at, 'variants', j, 'default'],
        `flag "${flag.key}" has more than one default variant; the last one wins (keep default: true on one variant only)`,
      );
  });
}

function checkDistributions(
  flag: Flag,
  distributions: Flag['rules'][number]['distributions'],
  path: PropertyKey[],
  report: Report,
): void {
  const keys = flag.variants.map((v) => v.key);
  distributions.forEach((d, k) => {
    if (keys.includes(d.variant)) return;
    const guess = closest(d.variant, keys);
    const fix =
      guess !== undefined
        ? `did you mean "${guess}"?`
        : keys.length > 0
          ? `use one of ${keys.join(', ')}`
          : 'add the variant to the flag';
    report(
      'error',
      'unknown-variant',
      [...path, 'distributions', k, 'variant'],
      `unknown variant "${d.variant}" in flag "${flag.key}" (${fix})`,
    );
  });
  if (distributions.length === 0) return;
  // Sum in hundredths so 33.33 + 33.33 + 33.34 is exactly 100.
  const sum = distributions.reduce((s, d) => s + Math.round(d.rollout * 100), 0) / 100;
  if (sum === 0)
    report(
      'warning',
      'distribution-sum',
      [...path, 'distributions'],
      `every distribution is 0, so the rule can assign no variant (give at least one variant a share)`,
    );
  else if (sum !== 100)
    report(
      'warning',
      'distribution-sum',
      [...path, 'distributions'],
      `distributions add up to ${sum}, not 100; the engine scales each share by 100/${sum}, as Flipt's client engine does (make them add up to 100)`,
    );
}

function checkBooleanFlag(flag: Flag, at: PropertyKey[], report: Report): void {
  flag.variants.forEach((v, j) => {
    if (v.default === true)
      report(
        'warning',
        'default-variant',
        [...at, 'variants', j, 'default'],
        `boolean flag "${flag.key}" ignores its default variant (remove default, or make it a VARIANT_FLAG_TYPE flag)`,
      );
  });
  if (flag.variants.length > 0)
    report(
      'warning',
      'ignored',
      [...at, 'variants'],
      `boolean flags ignore variants (remove them)`,
    );
  if (flag.rules.length > 0)
    report(
      'warning',
      'ignored',
      [...at, 'rules'],
      `boolean flags ignore rules; they use rollouts (move the targeting into rollouts)`,
    );
}
