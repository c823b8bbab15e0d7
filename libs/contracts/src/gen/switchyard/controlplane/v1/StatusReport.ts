// Original file: proto/switchyard/controlplane/v1/instance.proto

import type { EnvironmentStatus as _switchyard_controlplane_v1_EnvironmentStatus, EnvironmentStatus__Output as _switchyard_controlplane_v1_EnvironmentStatus__Output } from '../../../switchyard/controlplane/v1/EnvironmentStatus.js';
import type { TokenUse as _switchyard_controlplane_v1_TokenUse, TokenUse__Output as _switchyard_controlplane_v1_TokenUse__Output } from '../../../switchyard/controlplane/v1/TokenUse.js';
import type { Long } from '@grpc/proto-loader';

export interface StatusReport {
  'environments'?: (_switchyard_controlplane_v1_EnvironmentStatus)[];
  'configVersion'?: (string);
  'httpPort'?: (number);
  'grpcPort'?: (number);
  /**
   * Tokens used since the last acknowledged report (the control plane records `lastUsedAt`,
   * throttled, and only for tokens of the instance's own organisation).
   */
  'tokenUsage'?: (_switchyard_controlplane_v1_TokenUse)[];
  /**
   * When this instance process started (Unix ms): a change between reports is a restart.
   */
  'startedAtMs'?: (number | string | Long);
  /**
   * When this instance last served a request (Unix ms; its start time when it has served none):
   * the worker puts an instance idle for INSTANCE_IDLE_SLEEP to sleep.
   */
  'lastActiveAtMs'?: (number | string | Long);
}

export interface StatusReport__Output {
  'environments': (_switchyard_controlplane_v1_EnvironmentStatus__Output)[];
  'configVersion': (string);
  'httpPort': (number);
  'grpcPort': (number);
  /**
   * Tokens used since the last acknowledged report (the control plane records `lastUsedAt`,
   * throttled, and only for tokens of the instance's own organisation).
   */
  'tokenUsage': (_switchyard_controlplane_v1_TokenUse__Output)[];
  /**
   * When this instance process started (Unix ms): a change between reports is a restart.
   */
  'startedAtMs': (string);
  /**
   * When this instance last served a request (Unix ms; its start time when it has served none):
   * the worker puts an instance idle for INSTANCE_IDLE_SLEEP to sleep.
   */
  'lastActiveAtMs': (string);
}
