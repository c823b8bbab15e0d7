// Original file: proto/switchyard/controlplane/v1/instance.proto


export interface TokensChanged {
}

export interface TokensChanged__Output {
}
