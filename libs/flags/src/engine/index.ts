export * from './types.js';
export { compileEnvironment, canonicalJson } from './compile.js';
export type { CompiledFlag, CompileOptions } from './compile.js';
export { evaluateVariant, evaluateBoolean, evaluateBatch } from './evaluate.js';
export { toClientSnapshot, float32Number } from './client-snapshot.js';
export type {
  ClientNamespaceSnapshot,
  ClientFlag,
  ClientRule,
  ClientRollout,
  ClientSegment,
  ClientConstraint,
  ClientDistribution,
} from './client-snapshot.js';
export { variantBucket, inThreshold, distributionBoundaries } from './bucket.js';
export { crc32 } from './crc32.js';
export { explainEvaluation } from './explain.js';
export type {
  Explanation,
  StepTrace,
  SegmentTrace,
  ConstraintTrace,
  DistributionTrace,
} from './explain.js';
