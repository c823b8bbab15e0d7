// Original file: proto/switchyard/controlplane/v1/instance.proto


export interface Ack {
}

export interface Ack__Output {
}
