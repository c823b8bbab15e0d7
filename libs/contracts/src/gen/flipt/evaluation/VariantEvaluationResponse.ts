// Original file: proto/flipt/evaluation/evaluation.proto

import type { EvaluationReason as _flipt_evaluation_EvaluationReason, EvaluationReason__Output as _flipt_evaluation_EvaluationReason__Output } from '../../flipt/evaluation/EvaluationReason.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';

export interface VariantEvaluationResponse {
  'match'?: (boolean);
  'segmentKeys'?: (string)[];
  'reason'?: (_flipt_evaluation_EvaluationReason);
  'variantKey'?: (string);
  'variantAttachment'?: (string);
  'requestId'?: (string);
  'requestDurationMillis'?: (number | string);
  'timestamp'?: (_google_protobuf_Timestamp | null);
  'flagKey'?: (string);
}

export interface VariantEvaluationResponse__Output {
  'match': (boolean);
  'segmentKeys': (string)[];
  'reason': (_flipt_evaluation_EvaluationReason__Output);
  'variantKey': (string);
  'variantAttachment': (string);
  'requestId': (string);
  'requestDurationMillis': (number);
  'timestamp': (_google_protobuf_Timestamp__Output | null);
  'flagKey': (string);
}
