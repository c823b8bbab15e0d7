// Original file: proto/switchyard/controlplane/v1/instance.proto

import type { Long } from '@grpc/proto-loader';

export interface Token {
  'id'?: (string);
  'name'?: (string);
  'sha256'?: (string);
  /**
   * Environment keys the token may read (never empty: a token always has a scope).
   */
  'environments'?: (string)[];
  /**
   * Empty means every namespace.
   */
  'namespaces'?: (string)[];
  /**
   * Unix milliseconds; 0 means no expiry.
   */
  'expiresAtMs'?: (number | string | Long);
}

export interface Token__Output {
  'id': (string);
  'name': (string);
  'sha256': (string);
  /**
   * Environment keys the token may read (never empty: a token always has a scope).
   */
  'environments': (string)[];
  /**
   * Empty means every namespace.
   */
  'namespaces': (string)[];
  /**
   * Unix milliseconds; 0 means no expiry.
   */
  'expiresAtMs': (string);
}
