// Original file: proto/switchyard/controlplane/v1/instance.proto

import type { Route as _switchyard_controlplane_v1_Route, Route__Output as _switchyard_controlplane_v1_Route__Output } from '../../../switchyard/controlplane/v1/Route.js';

export interface RouteTable {
  'routes'?: (_switchyard_controlplane_v1_Route)[];
  'version'?: (string);
}

export interface RouteTable__Output {
  'routes': (_switchyard_controlplane_v1_Route__Output)[];
  'version': (string);
}
