// Original file: proto/switchyard/controlplane/v1/instance.proto

import type { SyncError as _switchyard_controlplane_v1_SyncError, SyncError__Output as _switchyard_controlplane_v1_SyncError__Output } from '../../../switchyard/controlplane/v1/SyncError.js';
import type { Long } from '@grpc/proto-loader';

export interface EnvironmentStatus {
  'key'?: (string);
  'revision'?: (string);
  'ready'?: (boolean);
  /**
   * Human-readable form of `error` (kept for control planes that predate `error`).
   */
  'lastError'?: (string);
  'lastSyncAtMs'?: (number | string | Long);
  /**
   * Structured form of the last sync error; unset when the last sync succeeded.
   */
  'error'?: (_switchyard_controlplane_v1_SyncError | null);
  /**
   * Warnings of the revision served (it loads; e.g. a constraint value that never matches), with
   * file and line; at most 50.
   */
  'warnings'?: (_switchyard_controlplane_v1_SyncError)[];
}

export interface EnvironmentStatus__Output {
  'key': (string);
  'revision': (string);
  'ready': (boolean);
  /**
   * Human-readable form of `error` (kept for control planes that predate `error`).
   */
  'lastError': (string);
  'lastSyncAtMs': (string);
  /**
   * Structured form of the last sync error; unset when the last sync succeeded.
   */
  'error': (_switchyard_controlplane_v1_SyncError__Output | null);
  /**
   * Warnings of the revision served (it loads; e.g. a constraint value that never matches), with
   * file and line; at most 50.
   */
  'warnings': (_switchyard_controlplane_v1_SyncError__Output)[];
}
