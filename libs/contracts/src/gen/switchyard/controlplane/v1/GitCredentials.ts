// Original file: proto/switchyard/controlplane/v1/instance.proto


export interface GitCredentials {
  'username'?: (string);
  'password'?: (string);
}

export interface GitCredentials__Output {
  'username': (string);
  'password': (string);
}
