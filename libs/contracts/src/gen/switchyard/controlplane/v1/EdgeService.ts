// Original file: proto/switchyard/controlplane/v1/instance.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetRoutesRequest as _switchyard_controlplane_v1_GetRoutesRequest, GetRoutesRequest__Output as _switchyard_controlplane_v1_GetRoutesRequest__Output } from '../../../switchyard/controlplane/v1/GetRoutesRequest.js';
import type { Route as _switchyard_controlplane_v1_Route, Route__Output as _switchyard_controlplane_v1_Route__Output } from '../../../switchyard/controlplane/v1/Route.js';
import type { RouteTable as _switchyard_controlplane_v1_RouteTable, RouteTable__Output as _switchyard_controlplane_v1_RouteTable__Output } from '../../../switchyard/controlplane/v1/RouteTable.js';
import type { WakeRequest as _switchyard_controlplane_v1_WakeRequest, WakeRequest__Output as _switchyard_controlplane_v1_WakeRequest__Output } from '../../../switchyard/controlplane/v1/WakeRequest.js';

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
  
  /**
   * Wakes a sleeping organisation's instance and answers once it serves the current
   * configuration and revisions (at once when it is awake). Concurrent calls share one wake.
   * UNAVAILABLE when it could not wake within the call's deadline; NOT_FOUND for an unknown org.
   */
  Wake(argument: _switchyard_controlplane_v1_WakeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_Route__Output>): grpc.ClientUnaryCall;
  Wake(argument: _switchyard_controlplane_v1_WakeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_switchyard_controlplane_v1_Route__Output>): grpc.ClientUnaryCall;
  Wake(argument: _switchyard_controlplane_v1_WakeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_Route__Output>): grpc.ClientUnaryCall;
  Wake(argument: _switchyard_controlplane_v1_WakeRequest, callback: grpc.requestCallback<_switchyard_controlplane_v1_Route__Output>): grpc.ClientUnaryCall;
  /**
   * Wakes a sleeping organisation's instance and answers once it serves the current
   * configuration and revisions (at once when it is awake). Concurrent calls share one wake.
   * UNAVAILABLE when it could not wake within the call's deadline; NOT_FOUND for an unknown org.
   */
  wake(argument: _switchyard_controlplane_v1_WakeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_Route__Output>): grpc.ClientUnaryCall;
  wake(argument: _switchyard_controlplane_v1_WakeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_switchyard_controlplane_v1_Route__Output>): grpc.ClientUnaryCall;
  wake(argument: _switchyard_controlplane_v1_WakeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_Route__Output>): grpc.ClientUnaryCall;
  wake(argument: _switchyard_controlplane_v1_WakeRequest, callback: grpc.requestCallback<_switchyard_controlplane_v1_Route__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Route table for the edge router (authenticated with the edge credential).
 */
export interface EdgeServiceHandlers extends grpc.UntypedServiceImplementation {
  GetRoutes: grpc.handleUnaryCall<_switchyard_controlplane_v1_GetRoutesRequest__Output, _switchyard_controlplane_v1_RouteTable>;
  
  /**
   * Wakes a sleeping organisation's instance and answers once it serves the current
   * configuration and revisions (at once when it is awake). Concurrent calls share one wake.
   * UNAVAILABLE when it could not wake within the call's deadline; NOT_FOUND for an unknown org.
   */
  Wake: grpc.handleUnaryCall<_switchyard_controlplane_v1_WakeRequest__Output, _switchyard_controlplane_v1_Route>;
  
}

export interface EdgeServiceDefinition extends grpc.ServiceDefinition {
  GetRoutes: MethodDefinition<_switchyard_controlplane_v1_GetRoutesRequest, _switchyard_controlplane_v1_RouteTable, _switchyard_controlplane_v1_GetRoutesRequest__Output, _switchyard_controlplane_v1_RouteTable__Output>
  Wake: MethodDefinition<_switchyard_controlplane_v1_WakeRequest, _switchyard_controlplane_v1_Route, _switchyard_controlplane_v1_WakeRequest__Output, _switchyard_controlplane_v1_Route__Output>
}
