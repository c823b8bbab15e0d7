// Original file: proto/switchyard/controlplane/v1/instance.proto


export interface Route {
  'orgSlug'?: (string);
  'environments'?: (string)[];
  /**
   * Base URL of the organisation's instance, e.g. http://127.0.0.1:18000.
   */
  'upstream'?: (string);
}

export interface Route__Output {
  'orgSlug': (string);
  'environments': (string)[];
  /**
   * Base URL of the organisation's instance, e.g. http://127.0.0.1:18000.
   */
  'upstream': (string);
}
