// Original file: proto/flipt/evaluation/evaluation.proto

import type { EvaluationReason as _flipt_evaluation_EvaluationReason, EvaluationReason__Output as _flipt_evaluation_EvaluationReason__Output } from '../../flipt/evaluation/EvaluationReason.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';

export interface BooleanEvaluationResponse {
  'enabled'?: (boolean);
  'reason'?: (_flipt_evaluation_EvaluationReason);
  'requestId'?: (string);
  'requestDurationMillis'?: (number | string);
  'timestamp'?: (_google_protobuf_Timestamp | null);
  'flagKey'?: (string);
  'segmentKeys'?: (string)[];
}

export interface BooleanEvaluationResponse__Output {
  'enabled': (boolean);
  'reason': (_flipt_evaluation_EvaluationReason__Output);
  'requestId': (string);
  'requestDurationMillis': (number);
  'timestamp': (_google_protobuf_Timestamp__Output | null);
  'flagKey': (string);
  'segmentKeys': (string)[];
}
