/**
 * What each format version allows. Two views of the same rules: `rawVersionViolations` reads the
 * document as written (it sees spellings that canonicalisation erases, such as `keys: [one]` or
 * `default: false`), and `canonicalVersionViolations` reads a canonical Document (for documents
 * built in code). Both produce identical path + message pairs so callers can de-duplicate.
 */
import { FORMAT_VERSIONS, LATEST_FORMAT_VERSION, type Document } from '../model/schema.js';

/** A version rule broken at a path. */
export interface VersionViolation {
  path: PropertyKey[];
  message: string;
}

/** Index of a version in FORMAT_VERSIONS; unknown or missing versions count as the latest. */
export function versionRank(version: unknown): number {
  const i = (FORMAT_VERSIONS as readonly unknown[]).indexOf(version ?? LATEST_FORMAT_VERSION);
  return i < 0 ? FORMAT_VERSIONS.length - 1 : i;
}

const V = (v: (typeof FORMAT_VERSIONS)[number]): number => FORMAT_VERSIONS.indexOf(v);

/** Messages shared by both views. */
export const VERSION_MESSAGES = {
  type: 'flag type needs format 1.1 or later (remove type or set version: "1.1" or later)',
  rollouts: 'rollouts need format 1.1 or later (remove them or set version: "1.1" or later)',
  keys: 'several segments (keys/operator) need format 1.2 or later (use a single segment key or set version: "1.2" or later)',
  default:
    'default variants need format 1.3 or later (remove default or set version: "1.3" or later)',
  metadata:
    'flag metadata needs format 1.3 or later (remove metadata or set version: "1.3" or later)',
  namespace:
    'the namespace object form needs format 1.4 or later (write namespace: <key> or set version: "1.4" or later)',
} as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Version rules checked on the document as written. */
export function rawVersionViolations(raw: unknown): VersionViolation[] {
  if (!isObj(raw)) return [];
  const rank = versionRank(raw.version);
  const out: VersionViolation[] = [];
  if (rank < V('1.4') && isObj(raw.namespace))
    out.push({ path: ['namespace'], message: VERSION_MESSAGES.namespace });
  list(raw.flags).forEach((flag, i) => {
    if (!isObj(flag)) return;
    const at = ['flags', i];
    if (rank < V('1.1') && 'type' in flag)
      out.push({ path: [...at, 'type'], message: VERSION_MESSAGES.type });
    if (rank < V('1.1') && 'rollouts' in flag)
      out.push({ path: [...at, 'rollouts'], message: VERSION_MESSAGES.rollouts });
    if (rank < V('1.3') && 'metadata' in flag)
      out.push({ path: [...at, 'metadata'], message: VERSION_MESSAGES.metadata });
    list(flag.variants).forEach((v, j) => {
      if (rank < V('1.3') && isObj(v) && 'default' in v)
        out.push({ path: [...at, 'variants', j, 'default'], message: VERSION_MESSAGES.default });
    });
    if (rank >= V('1.2')) return;
    list(flag.rules).forEach((r, j) => {
      const s = isObj(r) ? r.segment : undefined;
      if (Array.isArray(s) || (isObj(s) && ('keys' in s || 'operator' in s)))
        out.push({ path: [...at, 'rules', j, 'segment'], message: VERSION_MESSAGES.keys });
    });
    list(flag.rollouts).forEach((r, j) => {
      const s = isObj(r) ? r.segment : undefined;
      if (isObj(s) && ('keys' in s || 'operator' in s))
        out.push({ path: [...at, 'rollouts', j, 'segment'], message: VERSION_MESSAGES.keys });
    });
  });
  return out;
}

/** Version rules checked on a canonical document. */
export function canonicalVersionViolations(doc: Document): VersionViolation[] {
  const rank = versionRank(doc.version);
  const out: VersionViolation[] = [];
  if (
    rank < V('1.4') &&
    (doc.namespace.name !== undefined || doc.namespace.description !== undefined)
  )
    out.push({ path: ['namespace'], message: VERSION_MESSAGES.namespace });
  doc.flags.forEach((flag, i) => {
    const at = ['flags', i];
    if (rank < V('1.1') && flag.type !== 'VARIANT_FLAG_TYPE')
      out.push({ path: [...at, 'type'], message: VERSION_MESSAGES.type });
    if (rank < V('1.1') && flag.rollouts.length > 0)
      out.push({ path: [...at, 'rollouts'], message: VERSION_MESSAGES.rollouts });
    if (rank < V('1.3') && flag.metadata !== undefined)
      out.push({ path: [...at, 'metadata'], message: VERSION_MESSAGES.metadata });
    flag.variants.forEach((v, j) => {
      if (rank < V('1.3') && v.default !== undefined)
        out.push({ path: [...at, 'variants', j, 'default'], message: VERSION_MESSAGES.default });
    });
    if (rank >= V('1.2')) return;
    flag.rules.forEach((r, j) => {
      if (r.segment.keys.length !== 1 || r.segment.operator !== 'OR_SEGMENT_OPERATOR')
        out.push({ path: [...at, 'rules', j, 'segment'], message: VERSION_MESSAGES.keys });
    });
    flag.rollouts.forEach((r, j) => {
      if (
        r.segment &&
        (r.segment.keys.length !== 1 || r.segment.operator !== 'OR_SEGMENT_OPERATOR')
      )
        out.push({ path: [...at, 'rollouts', j, 'segment'], message: VERSION_MESSAGES.keys });
    });
  });
  return out;
}
