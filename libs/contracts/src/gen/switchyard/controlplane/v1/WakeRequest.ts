// Original file: proto/switchyard/controlplane/v1/instance.proto


export interface WakeRequest {
  'orgSlug'?: (string);
}

export interface WakeRequest__Output {
  'orgSlug': (string);
}
