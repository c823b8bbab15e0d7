import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BatchEvaluationRequest as _flipt_evaluation_BatchEvaluationRequest, BatchEvaluationRequest__Output as _flipt_evaluation_BatchEvaluationRequest__Output } from './flipt/evaluation/BatchEvaluationRequest.js';
import type { BatchEvaluationResponse as _flipt_evaluation_BatchEvaluationResponse, BatchEvaluationResponse__Output as _flipt_evaluation_BatchEvaluationResponse__Output } from './flipt/evaluation/BatchEvaluationResponse.js';
import type { BooleanEvaluationResponse as _flipt_evaluation_BooleanEvaluationResponse, BooleanEvaluationResponse__Output as _flipt_evaluation_BooleanEvaluationResponse__Output } from './flipt/evaluation/BooleanEvaluationResponse.js';
import type { ErrorEvaluationResponse as _flipt_evaluation_ErrorEvaluationResponse, ErrorEvaluationResponse__Output as _flipt_evaluation_ErrorEvaluationResponse__Output } from './flipt/evaluation/ErrorEvaluationResponse.js';
import type { EvaluationRequest as _flipt_evaluation_EvaluationRequest, EvaluationRequest__Output as _flipt_evaluation_EvaluationRequest__Output } from './flipt/evaluation/EvaluationRequest.js';
import type { EvaluationResponse as _flipt_evaluation_EvaluationResponse, EvaluationResponse__Output as _flipt_evaluation_EvaluationResponse__Output } from './flipt/evaluation/EvaluationResponse.js';
import type { EvaluationServiceClient as _flipt_evaluation_EvaluationServiceClient, EvaluationServiceDefinition as _flipt_evaluation_EvaluationServiceDefinition } from './flipt/evaluation/EvaluationService.js';
import type { VariantEvaluationResponse as _flipt_evaluation_VariantEvaluationResponse, VariantEvaluationResponse__Output as _flipt_evaluation_VariantEvaluationResponse__Output } from './flipt/evaluation/VariantEvaluationResponse.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  flipt: {
    evaluation: {
      BatchEvaluationRequest: MessageTypeDefinition<_flipt_evaluation_BatchEvaluationRequest, _flipt_evaluation_BatchEvaluationRequest__Output>
      BatchEvaluationResponse: MessageTypeDefinition<_flipt_evaluation_BatchEvaluationResponse, _flipt_evaluation_BatchEvaluationResponse__Output>
      BooleanEvaluationResponse: MessageTypeDefinition<_flipt_evaluation_BooleanEvaluationResponse, _flipt_evaluation_BooleanEvaluationResponse__Output>
      ErrorEvaluationReason: EnumTypeDefinition
      ErrorEvaluationResponse: MessageTypeDefinition<_flipt_evaluation_ErrorEvaluationResponse, _flipt_evaluation_ErrorEvaluationResponse__Output>
      EvaluationReason: EnumTypeDefinition
      EvaluationRequest: MessageTypeDefinition<_flipt_evaluation_EvaluationRequest, _flipt_evaluation_EvaluationRequest__Output>
      EvaluationResponse: MessageTypeDefinition<_flipt_evaluation_EvaluationResponse, _flipt_evaluation_EvaluationResponse__Output>
      EvaluationResponseType: EnumTypeDefinition
      EvaluationService: SubtypeConstructor<typeof grpc.Client, _flipt_evaluation_EvaluationServiceClient> & { service: _flipt_evaluation_EvaluationServiceDefinition }
      VariantEvaluationResponse: MessageTypeDefinition<_flipt_evaluation_VariantEvaluationResponse, _flipt_evaluation_VariantEvaluationResponse__Output>
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

