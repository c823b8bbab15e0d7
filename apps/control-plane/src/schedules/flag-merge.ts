import type { Flag } from '@switchyard/flags';

/** The outcome of re-applying a reviewed flag edit on the flag as it is now. */
export type FlagMerge =
  { ok: true; flag: Flag | undefined } | { ok: false; conflicts: string[]; reason: string };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Three-way merge of one flag at the level of its top-level fields (name, enabled, variants,
 * rules, rollouts, …): `base` is the flag as reviewed, `mine` what the scheduled edit makes of it,
 * `theirs` the flag at the branch head when the edit runs (undefined: absent). Fields only the
 * edit changed are taken from it, everything else stays as committed since; a field both changed
 * to different values is a conflict, as is creating a flag someone else created meanwhile or
 * editing one deleted meanwhile. Deleting a flag conflicts with any change made to it since.
 */
export function mergeFlagEdit(
  base: Flag | undefined,
  mine: Flag | undefined,
  theirs: Flag | undefined,
): FlagMerge {
  if (same(base, theirs)) return { ok: true, flag: mine };
  if (same(mine, theirs)) return { ok: true, flag: theirs };
  if (base === undefined)
    return { ok: false, conflicts: ['flag'], reason: 'the flag was created meanwhile' };
  if (theirs === undefined)
    return { ok: false, conflicts: ['flag'], reason: 'the flag was deleted meanwhile' };
  if (mine === undefined)
    return { ok: false, conflicts: ['flag'], reason: 'the flag was changed since it was reviewed' };
  const b = base as Record<string, unknown>;
  const m = mine as Record<string, unknown>;
  const t = theirs as Record<string, unknown>;
  const out: Record<string, unknown> = { ...t };
  const conflicts: string[] = [];
  for (const k of new Set([...Object.keys(b), ...Object.keys(m), ...Object.keys(t)])) {
    if (same(b[k], m[k])) continue;
    if (!same(b[k], t[k]) && !same(m[k], t[k])) conflicts.push(k);
    else if (m[k] === undefined) delete out[k];
    else out[k] = m[k];
  }
  if (conflicts.length > 0)
    return {
      ok: false,
      conflicts,
      reason: `changed since it was reviewed by a later commit: ${conflicts.join(', ')}`,
    };
  return { ok: true, flag: out as Flag };
}
