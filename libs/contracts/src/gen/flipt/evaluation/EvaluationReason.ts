// Original file: proto/flipt/evaluation/evaluation.proto

export const EvaluationReason = {
  UNKNOWN_EVALUATION_REASON: 'UNKNOWN_EVALUATION_REASON',
  FLAG_DISABLED_EVALUATION_REASON: 'FLAG_DISABLED_EVALUATION_REASON',
  MATCH_EVALUATION_REASON: 'MATCH_EVALUATION_REASON',
  DEFAULT_EVALUATION_REASON: 'DEFAULT_EVALUATION_REASON',
} as const;

export type EvaluationReason =
  | 'UNKNOWN_EVALUATION_REASON'
  | 0
  | 'FLAG_DISABLED_EVALUATION_REASON'
  | 1
  | 'MATCH_EVALUATION_REASON'
  | 2
  | 'DEFAULT_EVALUATION_REASON'
  | 3

export type EvaluationReason__Output = typeof EvaluationReason[keyof typeof EvaluationReason]
