// Original file: proto/switchyard/controlplane/v1/instance.proto

import type { GitCredentials as _switchyard_controlplane_v1_GitCredentials, GitCredentials__Output as _switchyard_controlplane_v1_GitCredentials__Output } from '../../../switchyard/controlplane/v1/GitCredentials.js';

export interface GitSource {
  'url'?: (string);
  'branch'?: (string);
  'directory'?: (string);
  'credentials'?: (_switchyard_controlplane_v1_GitCredentials | null);
  'pollIntervalMs'?: (number);
}

export interface GitSource__Output {
  'url': (string);
  'branch': (string);
  'directory': (string);
  'credentials': (_switchyard_controlplane_v1_GitCredentials__Output | null);
  'pollIntervalMs': (number);
}
