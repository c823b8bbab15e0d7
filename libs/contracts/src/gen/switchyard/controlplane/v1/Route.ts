// Original file: proto/switchyard/controlplane/v1/instance.proto


export interface Route {
  'orgSlug'?: (string);
  'environments'?: (string)[];
  /**
   * Base URL of the organisation's instance, e.g. http://127.0.0.1:18000.
   */
  'upstream'?: (string);
  /**
   * host:port of the instance's gRPC server, e.g. 127.0.0.1:18001 ("" until it reported one).
   */
  'grpcUpstream'?: (string);
  /**
   * The instance sleeps (idle): the edge asks EdgeService.Wake before forwarding.
   */
  'sleeping'?: (boolean);
}

export interface Route__Output {
  'orgSlug': (string);
  'environments': (string)[];
  /**
   * Base URL of the organisation's instance, e.g. http://127.0.0.1:18000.
   */
  'upstream': (string);
  /**
   * host:port of the instance's gRPC server, e.g. 127.0.0.1:18001 ("" until it reported one).
   */
  'grpcUpstream': (string);
  /**
   * The instance sleeps (idle): the edge asks EdgeService.Wake before forwarding.
   */
  'sleeping': (boolean);
}
