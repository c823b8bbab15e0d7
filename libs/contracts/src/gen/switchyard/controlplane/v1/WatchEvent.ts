// Original file: proto/switchyard/controlplane/v1/instance.proto

import type { EnvironmentChanged as _switchyard_controlplane_v1_EnvironmentChanged, EnvironmentChanged__Output as _switchyard_controlplane_v1_EnvironmentChanged__Output } from '../../../switchyard/controlplane/v1/EnvironmentChanged.js';
import type { TokensChanged as _switchyard_controlplane_v1_TokensChanged, TokensChanged__Output as _switchyard_controlplane_v1_TokensChanged__Output } from '../../../switchyard/controlplane/v1/TokensChanged.js';
import type { ConfigChanged as _switchyard_controlplane_v1_ConfigChanged, ConfigChanged__Output as _switchyard_controlplane_v1_ConfigChanged__Output } from '../../../switchyard/controlplane/v1/ConfigChanged.js';

export interface WatchEvent {
  'environmentChanged'?: (_switchyard_controlplane_v1_EnvironmentChanged | null);
  'tokensChanged'?: (_switchyard_controlplane_v1_TokensChanged | null);
  'configChanged'?: (_switchyard_controlplane_v1_ConfigChanged | null);
  'event'?: "environmentChanged"|"tokensChanged"|"configChanged";
}

export interface WatchEvent__Output {
  'environmentChanged'?: (_switchyard_controlplane_v1_EnvironmentChanged__Output | null);
  'tokensChanged'?: (_switchyard_controlplane_v1_TokensChanged__Output | null);
  'configChanged'?: (_switchyard_controlplane_v1_ConfigChanged__Output | null);
  'event'?: "environmentChanged"|"tokensChanged"|"configChanged";
}
