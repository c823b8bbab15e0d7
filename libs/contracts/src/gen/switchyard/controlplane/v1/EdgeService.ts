// Original file: proto/switchyard/controlplane/v1/instance.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetRoutesRequest as _switchyard_controlplane_v1_GetRoutesRequest, GetRoutesRequest__Output as _switchyard_controlplane_v1_GetRoutesRequest__Output } from '../../../switchyard/controlplane/v1/GetRoutesRequest.js';
import type { RouteTable as _switchyard_controlplane_v1_RouteTable, RouteTable__Output as _switchyard_controlplane_v1_RouteTable__Output } from '../../../switchyard/controlplane/v1/RouteTable.js';

/**
 * Route table for the edge router (authenticated with the edge credential).
 */
export interface EdgeServiceClient extends grpc.Client {
  GetRoutes(argument: _switchyard_controlplane_v1_GetRoutesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_RouteTable__Output>): grpc.ClientUnaryCall;
  GetRoutes(argument: _switchyard_controlplane_v1_GetRoutesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_switchyard_controlplane_v1_RouteTable__Output>): grpc.ClientUnaryCall;
  GetRoutes(argument: _switchyard_controlplane_v1_GetRoutesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_RouteTable__Output>): grpc.ClientUnaryCall;
  GetRoutes(argument: _switchyard_controlplane_v1_GetRoutesRequest, callback: grpc.requestCallback<_switchyard_controlplane_v1_RouteTable__Output>): grpc.ClientUnaryCall;
  getRoutes(argument: _switchyard_controlplane_v1_GetRoutesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_RouteTable__Output>): grpc.ClientUnaryCall;
  getRoutes(argument: _switchyard_controlplane_v1_GetRoutesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_switchyard_controlplane_v1_RouteTable__Output>): grpc.ClientUnaryCall;
  getRoutes(argument: _switchyard_controlplane_v1_GetRoutesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_RouteTable__Output>): grpc.ClientUnaryCall;
  getRoutes(argument: _switchyard_controlplane_v1_GetRoutesRequest, callback: grpc.requestCallback<_switchyard_controlplane_v1_RouteTable__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Route table for the edge router (authenticated with the edge credential).
 */
export interface EdgeServiceHandlers extends grpc.UntypedServiceImplementation {
  GetRoutes: grpc.handleUnaryCall<_switchyard_controlplane_v1_GetRoutesRequest__Output, _switchyard_controlplane_v1_RouteTable>;
  
}

export interface EdgeServiceDefinition extends grpc.ServiceDefinition {
  GetRoutes: MethodDefinition<_switchyard_controlplane_v1_GetRoutesRequest, _switchyard_controlplane_v1_RouteTable, _switchyard_controlplane_v1_GetRoutesRequest__Output, _switchyard_controlplane_v1_RouteTable__Output>
}
