// Original file: proto/switchyard/controlplane/v1/instance.proto


export interface GetRoutesRequest {
}

export interface GetRoutesRequest__Output {
}
