// Original file: proto/flipt/evaluation/evaluation.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BatchEvaluationRequest as _flipt_evaluation_BatchEvaluationRequest, BatchEvaluationRequest__Output as _flipt_evaluation_BatchEvaluationRequest__Output } from '../../flipt/evaluation/BatchEvaluationRequest.js';
import type { BatchEvaluationResponse as _flipt_evaluation_BatchEvaluationResponse, BatchEvaluationResponse__Output as _flipt_evaluation_BatchEvaluationResponse__Output } from '../../flipt/evaluation/BatchEvaluationResponse.js';
import type { BooleanEvaluationResponse as _flipt_evaluation_BooleanEvaluationResponse, BooleanEvaluationResponse__Output as _flipt_evaluation_BooleanEvaluationResponse__Output } from '../../flipt/evaluation/BooleanEvaluationResponse.js';
import type { EvaluationRequest as _flipt_evaluation_EvaluationRequest, EvaluationRequest__Output as _flipt_evaluation_EvaluationRequest__Output } from '../../flipt/evaluation/EvaluationRequest.js';
import type { VariantEvaluationResponse as _flipt_evaluation_VariantEvaluationResponse, VariantEvaluationResponse__Output as _flipt_evaluation_VariantEvaluationResponse__Output } from '../../flipt/evaluation/VariantEvaluationResponse.js';

export interface EvaluationServiceClient extends grpc.Client {
  Batch(argument: _flipt_evaluation_BatchEvaluationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_flipt_evaluation_BatchEvaluationResponse__Output>): grpc.ClientUnaryCall;
  Batch(argument: _flipt_evaluation_BatchEvaluationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_flipt_evaluation_BatchEvaluationResponse__Output>): grpc.ClientUnaryCall;
  Batch(argument: _flipt_evaluation_BatchEvaluationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_flipt_evaluation_BatchEvaluationResponse__Output>): grpc.ClientUnaryCall;
  Batch(argument: _flipt_evaluation_BatchEvaluationRequest, callback: grpc.requestCallback<_flipt_evaluation_BatchEvaluationResponse__Output>): grpc.ClientUnaryCall;
  batch(argument: _flipt_evaluation_BatchEvaluationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_flipt_evaluation_BatchEvaluationResponse__Output>): grpc.ClientUnaryCall;
  batch(argument: _flipt_evaluation_BatchEvaluationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_flipt_evaluation_BatchEvaluationResponse__Output>): grpc.ClientUnaryCall;
  batch(argument: _flipt_evaluation_BatchEvaluationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_flipt_evaluation_BatchEvaluationResponse__Output>): grpc.ClientUnaryCall;
  batch(argument: _flipt_evaluation_BatchEvaluationRequest, callback: grpc.requestCallback<_flipt_evaluation_BatchEvaluationResponse__Output>): grpc.ClientUnaryCall;
  
  Boolean(argument: _flipt_evaluation_EvaluationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_flipt_evaluation_BooleanEvaluationResponse__Output>): grpc.ClientUnaryCall;
  Boolean(argument: _flipt_evaluation_EvaluationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_flipt_evaluation_BooleanEvaluationResponse__Output>): grpc.ClientUnaryCall;
  Boolean(argument: _flipt_evaluation_EvaluationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_flipt_evaluation_BooleanEvaluationResponse__Output>): grpc.ClientUnaryCall;
  Boolean(argument: _flipt_evaluation_EvaluationRequest, callback: grpc.requestCallback<_flipt_evaluation_BooleanEvaluationResponse__Output>): grpc.ClientUnaryCall;
  boolean(argument: _flipt_evaluation_EvaluationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_flipt_evaluation_BooleanEvaluationResponse__Output>): grpc.ClientUnaryCall;
  boolean(argument: _flipt_evaluation_EvaluationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_flipt_evaluation_BooleanEvaluationResponse__Output>): grpc.ClientUnaryCall;
  boolean(argument: _flipt_evaluation_EvaluationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_flipt_evaluation_BooleanEvaluationResponse__Output>): grpc.ClientUnaryCall;
  boolean(argument: _flipt_evaluation_EvaluationRequest, callback: grpc.requestCallback<_flipt_evaluation_BooleanEvaluationResponse__Output>): grpc.ClientUnaryCall;
  
  Variant(argument: _flipt_evaluation_EvaluationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_flipt_evaluation_VariantEvaluationResponse__Output>): grpc.ClientUnaryCall;
  Variant(argument: _flipt_evaluation_EvaluationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_flipt_evaluation_VariantEvaluationResponse__Output>): grpc.ClientUnaryCall;
  Variant(argument: _flipt_evaluation_EvaluationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_flipt_evaluation_VariantEvaluationResponse__Output>): grpc.ClientUnaryCall;
  Variant(argument: _flipt_evaluation_EvaluationRequest, callback: grpc.requestCallback<_flipt_evaluation_VariantEvaluationResponse__Output>): grpc.ClientUnaryCall;
  variant(argument: _flipt_evaluation_EvaluationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_flipt_evaluation_VariantEvaluationResponse__Output>): grpc.ClientUnaryCall;
  variant(argument: _flipt_evaluation_EvaluationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_flipt_evaluation_VariantEvaluationResponse__Output>): grpc.ClientUnaryCall;
  variant(argument: _flipt_evaluation_EvaluationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_flipt_evaluation_VariantEvaluationResponse__Output>): grpc.ClientUnaryCall;
  variant(argument: _flipt_evaluation_EvaluationRequest, callback: grpc.requestCallback<_flipt_evaluation_VariantEvaluationResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface EvaluationServiceHandlers extends grpc.UntypedServiceImplementation {
  Batch: grpc.handleUnaryCall<_flipt_evaluation_BatchEvaluationRequest__Output, _flipt_evaluation_BatchEvaluationResponse>;
  
  Boolean: grpc.handleUnaryCall<_flipt_evaluation_EvaluationRequest__Output, _flipt_evaluation_BooleanEvaluationResponse>;
  
  Variant: grpc.handleUnaryCall<_flipt_evaluation_EvaluationRequest__Output, _flipt_evaluation_VariantEvaluationResponse>;
  
}

export interface EvaluationServiceDefinition extends grpc.ServiceDefinition {
  Batch: MethodDefinition<_flipt_evaluation_BatchEvaluationRequest, _flipt_evaluation_BatchEvaluationResponse, _flipt_evaluation_BatchEvaluationRequest__Output, _flipt_evaluation_BatchEvaluationResponse__Output>
  Boolean: MethodDefinition<_flipt_evaluation_EvaluationRequest, _flipt_evaluation_BooleanEvaluationResponse, _flipt_evaluation_EvaluationRequest__Output, _flipt_evaluation_BooleanEvaluationResponse__Output>
  Variant: MethodDefinition<_flipt_evaluation_EvaluationRequest, _flipt_evaluation_VariantEvaluationResponse, _flipt_evaluation_EvaluationRequest__Output, _flipt_evaluation_VariantEvaluationResponse__Output>
}
