/**
 * Which files of an environment tree are feature files. Two layouts are read, so repositories
 * written for either Flipt version work unchanged:
 * Flipt v1 (`.flipt.yml` include/exclude index, or its default globs) and Flipt v2
 * (`<dir>/features.{yaml,yml,json}` at depth ≥ 1). The order returned is Go's `fs.WalkDir`
 * order, because later documents are merged after earlier ones.
 */
import { parse } from 'yaml';
import { z } from 'zod';
import { SwitchyardError } from '../errors.js';
import { compileGlob } from './glob.js';

/** Index file names recognised at the environment root, in order of preference. */
export const INDEX_FILES = ['.flipt.yml', '.flipt.yaml'] as const;

/** Flipt v1's default include globs when there is no index (JSON is not picked up by default). */
export const DEFAULT_INCLUDES = [
  '**features.yml',
  '**features.yaml',
  '**.features.yml',
  '**.features.yaml',
] as const;

const V2_LAYOUT = /^.+\/features\.(?:yaml|yml|json)$/u;

/** The `.flipt.yml` index: version, include and exclude globs. */
export const indexSchema = z.strictObject({
  version: z.literal('1.0', { message: 'must be "1.0"' }).optional(),
  include: z.array(z.string(), { message: 'must be a list of glob strings' }).nullish(),
  exclude: z.array(z.string(), { message: 'must be a list of glob strings' }).nullish(),
});

/** Parsed index: the compiled include and exclude patterns. */
export interface FeatureIndex {
  include: RegExp[];
  exclude: RegExp[];
}

/** Parses `.flipt.yml` content; throws InvalidArgument naming the problem. */
export function parseIndex(content: string): FeatureIndex {
  let raw: unknown;
  try {
    raw =
      parse(content, { version: '1.2', schema: 'core', uniqueKeys: true, maxAliasCount: 0 }) ?? {};
  } catch (e) {
    throw new SwitchyardError('InvalidArgument', `.flipt.yml: ${(e as Error).message}`);
  }
  const parsed = indexSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({
            path: k,
            message: 'unknown field (an index has version, include and exclude)',
            file: '.flipt.yml',
          }))
        : [{ path: i.path.join('.'), message: i.message, file: '.flipt.yml' }],
    );
    throw new SwitchyardError(
      'InvalidArgument',
      `.flipt.yml: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
      details,
    );
  }
  const include = parsed.data.include?.length ? parsed.data.include : [...DEFAULT_INCLUDES];
  try {
    return {
      include: include.map(compileGlob),
      exclude: (parsed.data.exclude ?? []).map(compileGlob),
    };
  } catch (e) {
    throw new SwitchyardError('InvalidArgument', `.flipt.yml: ${(e as Error).message}`);
  }
}

/**
 * Feature files among `paths` (slash-separated, relative to the root), in WalkDir order.
 * With an index only the index decides; without one, v1 defaults and the v2 layout both count.
 * Throws InvalidArgument when the index is malformed.
 */
export function discoverFeatureFiles(paths: readonly string[], index?: string): string[] {
  const kept =
    index === undefined
      ? paths.filter((p) => isDefaultFeatureFile(p))
      : filterByIndex(paths, parseIndex(index));
  return [...new Set(kept)]
    .filter((p) => !(INDEX_FILES as readonly string[]).includes(p))
    .sort(compareWalkOrder);
}

function filterByIndex(paths: readonly string[], index: FeatureIndex): string[] {
  return paths.filter(
    (p) => index.include.some((g) => g.test(p)) && !index.exclude.some((g) => g.test(p)),
  );
}

const DEFAULT_GLOBS = DEFAULT_INCLUDES.map(compileGlob);

function isDefaultFeatureFile(path: string): boolean {
  return V2_LAYOUT.test(path) || DEFAULT_GLOBS.some((g) => g.test(path));
}

/** WalkDir order: compare path segment by segment (so `a/b` sorts before `a.b/c`). */
export function compareWalkOrder(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i] as string;
    const y = bs[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return as.length - bs.length;
}
