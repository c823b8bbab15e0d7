// Original file: proto/switchyard/controlplane/v1/instance.proto


export interface GetConfigRequest {
}

export interface GetConfigRequest__Output {
}
