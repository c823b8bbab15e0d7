// Original file: proto/switchyard/controlplane/v1/instance.proto

import type { Environment as _switchyard_controlplane_v1_Environment, Environment__Output as _switchyard_controlplane_v1_Environment__Output } from '../../../switchyard/controlplane/v1/Environment.js';
import type { Token as _switchyard_controlplane_v1_Token, Token__Output as _switchyard_controlplane_v1_Token__Output } from '../../../switchyard/controlplane/v1/Token.js';

export interface InstanceConfiguration {
  'instanceId'?: (string);
  'orgId'?: (string);
  'orgSlug'?: (string);
  'environments'?: (_switchyard_controlplane_v1_Environment)[];
  'tokens'?: (_switchyard_controlplane_v1_Token)[];
  /**
   * Content hash of this message: an unchanged configuration is not reapplied.
   */
  'version'?: (string);
  /**
   * Exact origins (scheme://host:port) git sources may reach on non-public addresses; every other
   * git host must resolve to public addresses only (the address policy of libs/git-store).
   */
  'allowedOrigins'?: (string)[];
  /**
   * The branch head the control plane last wrote or accepted, per environment key (hosted
   * environments; absent when unknown). Not part of `version`: a commit is not a configuration
   * change. An instance starting (a wake) serves only once it has at least these revisions.
   */
  'revisions'?: ({[key: string]: string});
}

export interface InstanceConfiguration__Output {
  'instanceId': (string);
  'orgId': (string);
  'orgSlug': (string);
  'environments': (_switchyard_controlplane_v1_Environment__Output)[];
  'tokens': (_switchyard_controlplane_v1_Token__Output)[];
  /**
   * Content hash of this message: an unchanged configuration is not reapplied.
   */
  'version': (string);
  /**
   * Exact origins (scheme://host:port) git sources may reach on non-public addresses; every other
   * git host must resolve to public addresses only (the address policy of libs/git-store).
   */
  'allowedOrigins': (string)[];
  /**
   * The branch head the control plane last wrote or accepted, per environment key (hosted
   * environments; absent when unknown). Not part of `version`: a commit is not a configuration
   * change. An instance starting (a wake) serves only once it has at least these revisions.
   */
  'revisions': ({[key: string]: string});
}
