// Original file: proto/switchyard/controlplane/v1/instance.proto


export interface ConfigChanged {
}

export interface ConfigChanged__Output {
}
