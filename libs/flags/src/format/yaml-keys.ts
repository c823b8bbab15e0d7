/** Key sets shared by the full YAML reader and its fast path, so both treat documents alike. */

/** Keys that could reach Object.prototype; rejected everywhere in a document. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/** Fields the format types as strings. Go's YAML decoder reads `key: 1` or `version: 1.0` into them as text. */
export const STRING_FIELDS: ReadonlySet<string> = new Set([
  'version',
  'namespace',
  'key',
  'keys',
  'name',
  'description',
  'variant',
  'property',
  'segment',
]);
