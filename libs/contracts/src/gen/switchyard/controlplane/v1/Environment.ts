// Original file: proto/switchyard/controlplane/v1/instance.proto

import type { GitSource as _switchyard_controlplane_v1_GitSource, GitSource__Output as _switchyard_controlplane_v1_GitSource__Output } from '../../../switchyard/controlplane/v1/GitSource.js';

export interface Environment {
  'id'?: (string);
  'key'?: (string);
  'name'?: (string);
  'git'?: (_switchyard_controlplane_v1_GitSource | null);
}

export interface Environment__Output {
  'id': (string);
  'key': (string);
  'name': (string);
  'git': (_switchyard_controlplane_v1_GitSource__Output | null);
}
