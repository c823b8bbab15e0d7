// Original file: proto/flipt/evaluation/evaluation.proto

import type { EvaluationResponse as _flipt_evaluation_EvaluationResponse, EvaluationResponse__Output as _flipt_evaluation_EvaluationResponse__Output } from '../../flipt/evaluation/EvaluationResponse.js';

export interface BatchEvaluationResponse {
  'requestId'?: (string);
  'responses'?: (_flipt_evaluation_EvaluationResponse)[];
  'requestDurationMillis'?: (number | string);
}

export interface BatchEvaluationResponse__Output {
  'requestId': (string);
  'responses': (_flipt_evaluation_EvaluationResponse__Output)[];
  'requestDurationMillis': (number);
}
