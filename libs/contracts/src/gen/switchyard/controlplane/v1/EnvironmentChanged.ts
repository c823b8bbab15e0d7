// Original file: proto/switchyard/controlplane/v1/instance.proto


export interface EnvironmentChanged {
  'environmentKey'?: (string);
  'revision'?: (string);
}

export interface EnvironmentChanged__Output {
  'environmentKey': (string);
  'revision': (string);
}
