// Original file: proto/switchyard/controlplane/v1/instance.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A client token that authenticated a request since the previous report.
 */
export interface TokenUse {
  'tokenId'?: (string);
  /**
   * Unix milliseconds of a use within the reporting interval.
   */
  'lastUsedAtMs'?: (number | string | Long);
}

/**
 * A client token that authenticated a request since the previous report.
 */
export interface TokenUse__Output {
  'tokenId': (string);
  /**
   * Unix milliseconds of a use within the reporting interval.
   */
  'lastUsedAtMs': (string);
}
