// Original file: proto/flipt/evaluation/evaluation.proto

import type { ErrorEvaluationReason as _flipt_evaluation_ErrorEvaluationReason, ErrorEvaluationReason__Output as _flipt_evaluation_ErrorEvaluationReason__Output } from '../../flipt/evaluation/ErrorEvaluationReason.js';

export interface ErrorEvaluationResponse {
  'flagKey'?: (string);
  'namespaceKey'?: (string);
  'reason'?: (_flipt_evaluation_ErrorEvaluationReason);
}

export interface ErrorEvaluationResponse__Output {
  'flagKey': (string);
  'namespaceKey': (string);
  'reason': (_flipt_evaluation_ErrorEvaluationReason__Output);
}
