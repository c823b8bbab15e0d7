// Original file: proto/flipt/evaluation/evaluation.proto

import type { EvaluationResponseType as _flipt_evaluation_EvaluationResponseType, EvaluationResponseType__Output as _flipt_evaluation_EvaluationResponseType__Output } from '../../flipt/evaluation/EvaluationResponseType.js';
import type { BooleanEvaluationResponse as _flipt_evaluation_BooleanEvaluationResponse, BooleanEvaluationResponse__Output as _flipt_evaluation_BooleanEvaluationResponse__Output } from '../../flipt/evaluation/BooleanEvaluationResponse.js';
import type { VariantEvaluationResponse as _flipt_evaluation_VariantEvaluationResponse, VariantEvaluationResponse__Output as _flipt_evaluation_VariantEvaluationResponse__Output } from '../../flipt/evaluation/VariantEvaluationResponse.js';
import type { ErrorEvaluationResponse as _flipt_evaluation_ErrorEvaluationResponse, ErrorEvaluationResponse__Output as _flipt_evaluation_ErrorEvaluationResponse__Output } from '../../flipt/evaluation/ErrorEvaluationResponse.js';

export interface EvaluationResponse {
  'type'?: (_flipt_evaluation_EvaluationResponseType);
  'booleanResponse'?: (_flipt_evaluation_BooleanEvaluationResponse | null);
  'variantResponse'?: (_flipt_evaluation_VariantEvaluationResponse | null);
  'errorResponse'?: (_flipt_evaluation_ErrorEvaluationResponse | null);
  'response'?: "booleanResponse"|"variantResponse"|"errorResponse";
}

export interface EvaluationResponse__Output {
  'type': (_flipt_evaluation_EvaluationResponseType__Output);
  'booleanResponse'?: (_flipt_evaluation_BooleanEvaluationResponse__Output | null);
  'variantResponse'?: (_flipt_evaluation_VariantEvaluationResponse__Output | null);
  'errorResponse'?: (_flipt_evaluation_ErrorEvaluationResponse__Output | null);
  'response'?: "booleanResponse"|"variantResponse"|"errorResponse";
}
