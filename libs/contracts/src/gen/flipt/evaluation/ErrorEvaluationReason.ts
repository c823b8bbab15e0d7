// Original file: proto/flipt/evaluation/evaluation.proto

export const ErrorEvaluationReason = {
  UNKNOWN_ERROR_EVALUATION_REASON: 'UNKNOWN_ERROR_EVALUATION_REASON',
  NOT_FOUND_ERROR_EVALUATION_REASON: 'NOT_FOUND_ERROR_EVALUATION_REASON',
} as const;

export type ErrorEvaluationReason =
  | 'UNKNOWN_ERROR_EVALUATION_REASON'
  | 0
  | 'NOT_FOUND_ERROR_EVALUATION_REASON'
  | 1

export type ErrorEvaluationReason__Output = typeof ErrorEvaluationReason[keyof typeof ErrorEvaluationReason]
