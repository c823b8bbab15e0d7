/** Diffs of flag states: field-level (review, history) and line-level (YAML review). */
export {
  diffFlag,
  diffNamespace,
  diffSegment,
  diffValues,
  formatFieldPath,
  type FieldChange,
  type FieldChangeKind,
  type FieldPathSegment,
} from './field-diff.js';
export {
  diffHunks,
  diffLines,
  unifiedDiff,
  type DiffHunk,
  type DiffLine,
  type UnifiedDiffOptions,
} from './line-diff.js';
export { diffEnvironments, type EntityChange, type EntityKind } from './environment-diff.js';
export { flagYaml, segmentYaml } from './yaml.js';
