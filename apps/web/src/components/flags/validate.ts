import {
  flagYaml,
  parseFeatureFile,
  validateEnvironment,
  type Diagnostic,
  type Flag,
  type Segment,
} from '@switchyard/flags';

/** What the YAML tab's text means: the flag it defines, or why it defines none. */
export interface FlagYamlResult {
  flag?: Flag | undefined;
  errors: Diagnostic[];
}

/**
 * Validates a flag's YAML with the same parser and validator the control plane and the data plane
 * run; the namespace's segments are added as a document before it so references resolve.
 */
export function validateFlagYaml(
  ns: string,
  key: string,
  text: string,
  segments: readonly Segment[],
): FlagYamlResult {
  const parsed = parseFeatureFile('flag.yml', text);
  if (parsed.errors.length > 0) return { errors: parsed.errors };
  const docs = parsed.documents;
  const flags = docs.flatMap((d) => d.document.flags);
  const one = (message: string): FlagYamlResult => ({
    errors: [{ severity: 'error', code: 'console', message, line: 1, column: 1 }],
  });
  if (docs.length !== 1 || flags.length !== 1 || docs[0]!.document.segments.length > 0)
    return one(
      'the tab holds exactly one document with exactly one flag (edit segments on their page)',
    );
  if (docs[0]!.document.namespace.key !== ns) return one(`the namespace must stay "${ns}"`);
  if (flags[0]!.key !== key) return one(`the key must stay "${key}" (create a new flag instead)`);
  // Segments load first: a flag may only name segments defined before it.
  const result = validateEnvironment([
    {
      file: '.segments',
      index: 0,
      document: { namespace: { key: ns }, flags: [], segments: [...segments] },
    },
    docs[0]!,
  ]);
  return result.errors.length > 0 ? { errors: result.errors } : { flag: flags[0], errors: [] };
}

/** Validates a flag built by the form (no positions: messages name the field path). */
export function validateFlag(ns: string, flag: Flag, segments: readonly Segment[]): Diagnostic[] {
  return validateFlagYaml(ns, flag.key, flagYaml(ns, flag), segments).errors;
}

/** The distributions of a rule add up to this many percent (rounded to avoid float noise). */
export function distributionTotal(d: readonly { rollout: number }[]): number {
  return Math.round(d.reduce((s, x) => s + x.rollout, 0) * 100) / 100;
}

/**
 * Re-applies an edit on top of what someone else committed meanwhile: every top-level field the
 * user changed (base → mine) takes the user's value; every other field keeps theirs.
 */
export function reapply<T extends object>(base: T | undefined, mine: T, theirs: T | undefined): T {
  if (base === undefined || theirs === undefined) return mine;
  const out: Record<string, unknown> = { ...(theirs as Record<string, unknown>) };
  const b = base as Record<string, unknown>;
  const m = mine as Record<string, unknown>;
  for (const k of new Set([...Object.keys(b), ...Object.keys(m)]))
    if (JSON.stringify(b[k]) !== JSON.stringify(m[k])) out[k] = m[k];
  return out as T;
}
