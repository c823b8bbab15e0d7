// Original file: proto/flipt/evaluation/evaluation.proto

import type { EvaluationRequest as _flipt_evaluation_EvaluationRequest, EvaluationRequest__Output as _flipt_evaluation_EvaluationRequest__Output } from '../../flipt/evaluation/EvaluationRequest.js';

export interface BatchEvaluationRequest {
  'requestId'?: (string);
  'requests'?: (_flipt_evaluation_EvaluationRequest)[];
  'reference'?: (string);
}

export interface BatchEvaluationRequest__Output {
  'requestId': (string);
  'requests': (_flipt_evaluation_EvaluationRequest__Output)[];
  'reference': (string);
}
