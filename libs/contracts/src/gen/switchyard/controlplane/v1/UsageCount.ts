// Original file: proto/switchyard/controlplane/v1/instance.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Evaluations of one (environment, namespace, flag, value, reason) within one minute.
 */
export interface UsageCount {
  'environmentKey'?: (string);
  'namespaceKey'?: (string);
  'flagKey'?: (string);
  /**
   * Variant key served ("" for no variant), or "true"/"false" for a boolean flag.
   */
  'value'?: (string);
  /**
   * The engine's reason, e.g. MATCH_EVALUATION_REASON.
   */
  'reason'?: (string);
  /**
   * Start of the minute (Unix ms, a multiple of 60000) the evaluations were counted in.
   */
  'minuteMs'?: (number | string | Long);
  'count'?: (number | string | Long);
  /**
   * When the instance last saw one of these evaluations (Unix ms, to the reporting interval).
   */
  'lastAtMs'?: (number | string | Long);
}

/**
 * Evaluations of one (environment, namespace, flag, value, reason) within one minute.
 */
export interface UsageCount__Output {
  'environmentKey': (string);
  'namespaceKey': (string);
  'flagKey': (string);
  /**
   * Variant key served ("" for no variant), or "true"/"false" for a boolean flag.
   */
  'value': (string);
  /**
   * The engine's reason, e.g. MATCH_EVALUATION_REASON.
   */
  'reason': (string);
  /**
   * Start of the minute (Unix ms, a multiple of 60000) the evaluations were counted in.
   */
  'minuteMs': (string);
  'count': (string);
  /**
   * When the instance last saw one of these evaluations (Unix ms, to the reporting interval).
   */
  'lastAtMs': (string);
}
