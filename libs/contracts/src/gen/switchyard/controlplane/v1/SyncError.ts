// Original file: proto/switchyard/controlplane/v1/instance.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Where a sync failed. Instances before this message only sent `last_error` (its text), which
 * the control plane still parses as a fallback.
 */
export interface SyncError {
  'message'?: (string);
  /**
   * The commit that failed to build; empty when the source could not be fetched at all.
   */
  'revision'?: (string);
  /**
   * File relative to the environment's directory, and its 1-based line/column; empty/0 when unknown.
   */
  'file'?: (string);
  'line'?: (number);
  'column'?: (number);
  'atMs'?: (number | string | Long);
}

/**
 * Where a sync failed. Instances before this message only sent `last_error` (its text), which
 * the control plane still parses as a fallback.
 */
export interface SyncError__Output {
  'message': (string);
  /**
   * The commit that failed to build; empty when the source could not be fetched at all.
   */
  'revision': (string);
  /**
   * File relative to the environment's directory, and its 1-based line/column; empty/0 when unknown.
   */
  'file': (string);
  'line': (number);
  'column': (number);
  'atMs': (string);
}
