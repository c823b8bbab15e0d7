// Original file: proto/switchyard/controlplane/v1/instance.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Ack as _switchyard_controlplane_v1_Ack, Ack__Output as _switchyard_controlplane_v1_Ack__Output } from '../../../switchyard/controlplane/v1/Ack.js';
import type { GetConfigRequest as _switchyard_controlplane_v1_GetConfigRequest, GetConfigRequest__Output as _switchyard_controlplane_v1_GetConfigRequest__Output } from '../../../switchyard/controlplane/v1/GetConfigRequest.js';
import type { InstanceConfiguration as _switchyard_controlplane_v1_InstanceConfiguration, InstanceConfiguration__Output as _switchyard_controlplane_v1_InstanceConfiguration__Output } from '../../../switchyard/controlplane/v1/InstanceConfiguration.js';
import type { StatusReport as _switchyard_controlplane_v1_StatusReport, StatusReport__Output as _switchyard_controlplane_v1_StatusReport__Output } from '../../../switchyard/controlplane/v1/StatusReport.js';
import type { UsageBatch as _switchyard_controlplane_v1_UsageBatch, UsageBatch__Output as _switchyard_controlplane_v1_UsageBatch__Output } from '../../../switchyard/controlplane/v1/UsageBatch.js';
import type { WatchEvent as _switchyard_controlplane_v1_WatchEvent, WatchEvent__Output as _switchyard_controlplane_v1_WatchEvent__Output } from '../../../switchyard/controlplane/v1/WatchEvent.js';
import type { WatchRequest as _switchyard_controlplane_v1_WatchRequest, WatchRequest__Output as _switchyard_controlplane_v1_WatchRequest__Output } from '../../../switchyard/controlplane/v1/WatchRequest.js';

export interface InstanceServiceClient extends grpc.Client {
  /**
   * The whole configuration of the calling instance.
   */
  GetConfig(argument: _switchyard_controlplane_v1_GetConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_InstanceConfiguration__Output>): grpc.ClientUnaryCall;
  GetConfig(argument: _switchyard_controlplane_v1_GetConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_switchyard_controlplane_v1_InstanceConfiguration__Output>): grpc.ClientUnaryCall;
  GetConfig(argument: _switchyard_controlplane_v1_GetConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_InstanceConfiguration__Output>): grpc.ClientUnaryCall;
  GetConfig(argument: _switchyard_controlplane_v1_GetConfigRequest, callback: grpc.requestCallback<_switchyard_controlplane_v1_InstanceConfiguration__Output>): grpc.ClientUnaryCall;
  /**
   * The whole configuration of the calling instance.
   */
  getConfig(argument: _switchyard_controlplane_v1_GetConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_InstanceConfiguration__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _switchyard_controlplane_v1_GetConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_switchyard_controlplane_v1_InstanceConfiguration__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _switchyard_controlplane_v1_GetConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_InstanceConfiguration__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _switchyard_controlplane_v1_GetConfigRequest, callback: grpc.requestCallback<_switchyard_controlplane_v1_InstanceConfiguration__Output>): grpc.ClientUnaryCall;
  
  /**
   * Periodic and on-change status: per-environment revision and last sync error.
   */
  ReportStatus(argument: _switchyard_controlplane_v1_StatusReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  ReportStatus(argument: _switchyard_controlplane_v1_StatusReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  ReportStatus(argument: _switchyard_controlplane_v1_StatusReport, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  ReportStatus(argument: _switchyard_controlplane_v1_StatusReport, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  /**
   * Periodic and on-change status: per-environment revision and last sync error.
   */
  reportStatus(argument: _switchyard_controlplane_v1_StatusReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  reportStatus(argument: _switchyard_controlplane_v1_StatusReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  reportStatus(argument: _switchyard_controlplane_v1_StatusReport, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  reportStatus(argument: _switchyard_controlplane_v1_StatusReport, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  
  /**
   * Evaluation counts since the previous acknowledged batch. Idempotent per batch_id: a batch the
   * control plane already applied is acknowledged again without counting twice.
   */
  ReportUsage(argument: _switchyard_controlplane_v1_UsageBatch, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  ReportUsage(argument: _switchyard_controlplane_v1_UsageBatch, metadata: grpc.Metadata, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  ReportUsage(argument: _switchyard_controlplane_v1_UsageBatch, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  ReportUsage(argument: _switchyard_controlplane_v1_UsageBatch, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  /**
   * Evaluation counts since the previous acknowledged batch. Idempotent per batch_id: a batch the
   * control plane already applied is acknowledged again without counting twice.
   */
  reportUsage(argument: _switchyard_controlplane_v1_UsageBatch, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  reportUsage(argument: _switchyard_controlplane_v1_UsageBatch, metadata: grpc.Metadata, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  reportUsage(argument: _switchyard_controlplane_v1_UsageBatch, options: grpc.CallOptions, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  reportUsage(argument: _switchyard_controlplane_v1_UsageBatch, callback: grpc.requestCallback<_switchyard_controlplane_v1_Ack__Output>): grpc.ClientUnaryCall;
  
  /**
   * Server stream of change notifications; a new stream always starts with config_changed so a
   * reconnecting instance refetches what it may have missed.
   */
  Watch(argument: _switchyard_controlplane_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_switchyard_controlplane_v1_WatchEvent__Output>;
  Watch(argument: _switchyard_controlplane_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_switchyard_controlplane_v1_WatchEvent__Output>;
  /**
   * Server stream of change notifications; a new stream always starts with config_changed so a
   * reconnecting instance refetches what it may have missed.
   */
  watch(argument: _switchyard_controlplane_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_switchyard_controlplane_v1_WatchEvent__Output>;
  watch(argument: _switchyard_controlplane_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_switchyard_controlplane_v1_WatchEvent__Output>;
  
}

export interface InstanceServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The whole configuration of the calling instance.
   */
  GetConfig: grpc.handleUnaryCall<_switchyard_controlplane_v1_GetConfigRequest__Output, _switchyard_controlplane_v1_InstanceConfiguration>;
  
  /**
   * Periodic and on-change status: per-environment revision and last sync error.
   */
  ReportStatus: grpc.handleUnaryCall<_switchyard_controlplane_v1_StatusReport__Output, _switchyard_controlplane_v1_Ack>;
  
  /**
   * Evaluation counts since the previous acknowledged batch. Idempotent per batch_id: a batch the
   * control plane already applied is acknowledged again without counting twice.
   */
  ReportUsage: grpc.handleUnaryCall<_switchyard_controlplane_v1_UsageBatch__Output, _switchyard_controlplane_v1_Ack>;
  
  /**
   * Server stream of change notifications; a new stream always starts with config_changed so a
   * reconnecting instance refetches what it may have missed.
   */
  Watch: grpc.handleServerStreamingCall<_switchyard_controlplane_v1_WatchRequest__Output, _switchyard_controlplane_v1_WatchEvent>;
  
}

export interface InstanceServiceDefinition extends grpc.ServiceDefinition {
  GetConfig: MethodDefinition<_switchyard_controlplane_v1_GetConfigRequest, _switchyard_controlplane_v1_InstanceConfiguration, _switchyard_controlplane_v1_GetConfigRequest__Output, _switchyard_controlplane_v1_InstanceConfiguration__Output>
  ReportStatus: MethodDefinition<_switchyard_controlplane_v1_StatusReport, _switchyard_controlplane_v1_Ack, _switchyard_controlplane_v1_StatusReport__Output, _switchyard_controlplane_v1_Ack__Output>
  ReportUsage: MethodDefinition<_switchyard_controlplane_v1_UsageBatch, _switchyard_controlplane_v1_Ack, _switchyard_controlplane_v1_UsageBatch__Output, _switchyard_controlplane_v1_Ack__Output>
  Watch: MethodDefinition<_switchyard_controlplane_v1_WatchRequest, _switchyard_controlplane_v1_WatchEvent, _switchyard_controlplane_v1_WatchRequest__Output, _switchyard_controlplane_v1_WatchEvent__Output>
}
