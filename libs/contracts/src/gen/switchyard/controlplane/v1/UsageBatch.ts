// Original file: proto/switchyard/controlplane/v1/instance.proto

import type { UsageCount as _switchyard_controlplane_v1_UsageCount, UsageCount__Output as _switchyard_controlplane_v1_UsageCount__Output } from '../../../switchyard/controlplane/v1/UsageCount.js';

/**
 * Counts of one reporting interval (or several merged while the control plane was unreachable).
 */
export interface UsageBatch {
  /**
   * `<instance id>:<process start ms>:<sequence>`; a retry resends the same id, never a new one.
   */
  'batchId'?: (string);
  'counts'?: (_switchyard_controlplane_v1_UsageCount)[];
}

/**
 * Counts of one reporting interval (or several merged while the control plane was unreachable).
 */
export interface UsageBatch__Output {
  /**
   * `<instance id>:<process start ms>:<sequence>`; a retry resends the same id, never a new one.
   */
  'batchId': (string);
  'counts': (_switchyard_controlplane_v1_UsageCount__Output)[];
}
