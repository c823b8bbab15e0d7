// Original file: proto/flipt/evaluation/evaluation.proto


export interface EvaluationRequest {
  'requestId'?: (string);
  'namespaceKey'?: (string);
  'flagKey'?: (string);
  'entityId'?: (string);
  'context'?: ({[key: string]: string});
  'reference'?: (string);
  'environmentKey'?: (string);
}

export interface EvaluationRequest__Output {
  'requestId': (string);
  'namespaceKey': (string);
  'flagKey': (string);
  'entityId': (string);
  'context': ({[key: string]: string});
  'reference': (string);
  'environmentKey': (string);
}
