// Original file: proto/flipt/evaluation/evaluation.proto

export const EvaluationResponseType = {
  VARIANT_EVALUATION_RESPONSE_TYPE: 'VARIANT_EVALUATION_RESPONSE_TYPE',
  BOOLEAN_EVALUATION_RESPONSE_TYPE: 'BOOLEAN_EVALUATION_RESPONSE_TYPE',
  ERROR_EVALUATION_RESPONSE_TYPE: 'ERROR_EVALUATION_RESPONSE_TYPE',
} as const;

export type EvaluationResponseType =
  | 'VARIANT_EVALUATION_RESPONSE_TYPE'
  | 0
  | 'BOOLEAN_EVALUATION_RESPONSE_TYPE'
  | 1
  | 'ERROR_EVALUATION_RESPONSE_TYPE'
  | 2

export type EvaluationResponseType__Output = typeof EvaluationResponseType[keyof typeof EvaluationResponseType]
