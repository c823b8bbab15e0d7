// Original file: proto/switchyard/controlplane/v1/instance.proto


export interface WatchRequest {
}

export interface WatchRequest__Output {
}
