import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Ack as _switchyard_controlplane_v1_Ack, Ack__Output as _switchyard_controlplane_v1_Ack__Output } from './switchyard/controlplane/v1/Ack.js';
import type { ConfigChanged as _switchyard_controlplane_v1_ConfigChanged, ConfigChanged__Output as _switchyard_controlplane_v1_ConfigChanged__Output } from './switchyard/controlplane/v1/ConfigChanged.js';
import type { EdgeServiceClient as _switchyard_controlplane_v1_EdgeServiceClient, EdgeServiceDefinition as _switchyard_controlplane_v1_EdgeServiceDefinition } from './switchyard/controlplane/v1/EdgeService.js';
import type { Environment as _switchyard_controlplane_v1_Environment, Environment__Output as _switchyard_controlplane_v1_Environment__Output } from './switchyard/controlplane/v1/Environment.js';
import type { EnvironmentChanged as _switchyard_controlplane_v1_EnvironmentChanged, EnvironmentChanged__Output as _switchyard_controlplane_v1_EnvironmentChanged__Output } from './switchyard/controlplane/v1/EnvironmentChanged.js';
import type { EnvironmentStatus as _switchyard_controlplane_v1_EnvironmentStatus, EnvironmentStatus__Output as _switchyard_controlplane_v1_EnvironmentStatus__Output } from './switchyard/controlplane/v1/EnvironmentStatus.js';
import type { GetConfigRequest as _switchyard_controlplane_v1_GetConfigRequest, GetConfigRequest__Output as _switchyard_controlplane_v1_GetConfigRequest__Output } from './switchyard/controlplane/v1/GetConfigRequest.js';
import type { GetRoutesRequest as _switchyard_controlplane_v1_GetRoutesRequest, GetRoutesRequest__Output as _switchyard_controlplane_v1_GetRoutesRequest__Output } from './switchyard/controlplane/v1/GetRoutesRequest.js';
import type { GitCredentials as _switchyard_controlplane_v1_GitCredentials, GitCredentials__Output as _switchyard_controlplane_v1_GitCredentials__Output } from './switchyard/controlplane/v1/GitCredentials.js';
import type { GitSource as _switchyard_controlplane_v1_GitSource, GitSource__Output as _switchyard_controlplane_v1_GitSource__Output } from './switchyard/controlplane/v1/GitSource.js';
import type { InstanceConfiguration as _switchyard_controlplane_v1_InstanceConfiguration, InstanceConfiguration__Output as _switchyard_controlplane_v1_InstanceConfiguration__Output } from './switchyard/controlplane/v1/InstanceConfiguration.js';
import type { InstanceServiceClient as _switchyard_controlplane_v1_InstanceServiceClient, InstanceServiceDefinition as _switchyard_controlplane_v1_InstanceServiceDefinition } from './switchyard/controlplane/v1/InstanceService.js';
import type { Route as _switchyard_controlplane_v1_Route, Route__Output as _switchyard_controlplane_v1_Route__Output } from './switchyard/controlplane/v1/Route.js';
import type { RouteTable as _switchyard_controlplane_v1_RouteTable, RouteTable__Output as _switchyard_controlplane_v1_RouteTable__Output } from './switchyard/controlplane/v1/RouteTable.js';
import type { StatusReport as _switchyard_controlplane_v1_StatusReport, StatusReport__Output as _switchyard_controlplane_v1_StatusReport__Output } from './switchyard/controlplane/v1/StatusReport.js';
import type { SyncError as _switchyard_controlplane_v1_SyncError, SyncError__Output as _switchyard_controlplane_v1_SyncError__Output } from './switchyard/controlplane/v1/SyncError.js';
import type { Token as _switchyard_controlplane_v1_Token, Token__Output as _switchyard_controlplane_v1_Token__Output } from './switchyard/controlplane/v1/Token.js';
import type { TokenUse as _switchyard_controlplane_v1_TokenUse, TokenUse__Output as _switchyard_controlplane_v1_TokenUse__Output } from './switchyard/controlplane/v1/TokenUse.js';
import type { TokensChanged as _switchyard_controlplane_v1_TokensChanged, TokensChanged__Output as _switchyard_controlplane_v1_TokensChanged__Output } from './switchyard/controlplane/v1/TokensChanged.js';
import type { UsageBatch as _switchyard_controlplane_v1_UsageBatch, UsageBatch__Output as _switchyard_controlplane_v1_UsageBatch__Output } from './switchyard/controlplane/v1/UsageBatch.js';
import type { UsageCount as _switchyard_controlplane_v1_UsageCount, UsageCount__Output as _switchyard_controlplane_v1_UsageCount__Output } from './switchyard/controlplane/v1/UsageCount.js';
import type { WakeRequest as _switchyard_controlplane_v1_WakeRequest, WakeRequest__Output as _switchyard_controlplane_v1_WakeRequest__Output } from './switchyard/controlplane/v1/WakeRequest.js';
import type { WatchEvent as _switchyard_controlplane_v1_WatchEvent, WatchEvent__Output as _switchyard_controlplane_v1_WatchEvent__Output } from './switchyard/controlplane/v1/WatchEvent.js';
import type { WatchRequest as _switchyard_controlplane_v1_WatchRequest, WatchRequest__Output as _switchyard_controlplane_v1_WatchRequest__Output } from './switchyard/controlplane/v1/WatchRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  switchyard: {
    controlplane: {
      v1: {
        Ack: MessageTypeDefinition<_switchyard_controlplane_v1_Ack, _switchyard_controlplane_v1_Ack__Output>
        ConfigChanged: MessageTypeDefinition<_switchyard_controlplane_v1_ConfigChanged, _switchyard_controlplane_v1_ConfigChanged__Output>
        /**
         * Route table for the edge router (authenticated with the edge credential).
         */
        EdgeService: SubtypeConstructor<typeof grpc.Client, _switchyard_controlplane_v1_EdgeServiceClient> & { service: _switchyard_controlplane_v1_EdgeServiceDefinition }
        Environment: MessageTypeDefinition<_switchyard_controlplane_v1_Environment, _switchyard_controlplane_v1_Environment__Output>
        EnvironmentChanged: MessageTypeDefinition<_switchyard_controlplane_v1_EnvironmentChanged, _switchyard_controlplane_v1_EnvironmentChanged__Output>
        EnvironmentStatus: MessageTypeDefinition<_switchyard_controlplane_v1_EnvironmentStatus, _switchyard_controlplane_v1_EnvironmentStatus__Output>
        GetConfigRequest: MessageTypeDefinition<_switchyard_controlplane_v1_GetConfigRequest, _switchyard_controlplane_v1_GetConfigRequest__Output>
        GetRoutesRequest: MessageTypeDefinition<_switchyard_controlplane_v1_GetRoutesRequest, _switchyard_controlplane_v1_GetRoutesRequest__Output>
        GitCredentials: MessageTypeDefinition<_switchyard_controlplane_v1_GitCredentials, _switchyard_controlplane_v1_GitCredentials__Output>
        GitSource: MessageTypeDefinition<_switchyard_controlplane_v1_GitSource, _switchyard_controlplane_v1_GitSource__Output>
        InstanceConfiguration: MessageTypeDefinition<_switchyard_controlplane_v1_InstanceConfiguration, _switchyard_controlplane_v1_InstanceConfiguration__Output>
        InstanceService: SubtypeConstructor<typeof grpc.Client, _switchyard_controlplane_v1_InstanceServiceClient> & { service: _switchyard_controlplane_v1_InstanceServiceDefinition }
        Route: MessageTypeDefinition<_switchyard_controlplane_v1_Route, _switchyard_controlplane_v1_Route__Output>
        RouteTable: MessageTypeDefinition<_switchyard_controlplane_v1_RouteTable, _switchyard_controlplane_v1_RouteTable__Output>
        StatusReport: MessageTypeDefinition<_switchyard_controlplane_v1_StatusReport, _switchyard_controlplane_v1_StatusReport__Output>
        SyncError: MessageTypeDefinition<_switchyard_controlplane_v1_SyncError, _switchyard_controlplane_v1_SyncError__Output>
        Token: MessageTypeDefinition<_switchyard_controlplane_v1_Token, _switchyard_controlplane_v1_Token__Output>
        TokenUse: MessageTypeDefinition<_switchyard_controlplane_v1_TokenUse, _switchyard_controlplane_v1_TokenUse__Output>
        TokensChanged: MessageTypeDefinition<_switchyard_controlplane_v1_TokensChanged, _switchyard_controlplane_v1_TokensChanged__Output>
        UsageBatch: MessageTypeDefinition<_switchyard_controlplane_v1_UsageBatch, _switchyard_controlplane_v1_UsageBatch__Output>
        UsageCount: MessageTypeDefinition<_switchyard_controlplane_v1_UsageCount, _switchyard_controlplane_v1_UsageCount__Output>
        WakeRequest: MessageTypeDefinition<_switchyard_controlplane_v1_WakeRequest, _switchyard_controlplane_v1_WakeRequest__Output>
        WatchEvent: MessageTypeDefinition<_switchyard_controlplane_v1_WatchEvent, _switchyard_controlplane_v1_WatchEvent__Output>
        WatchRequest: MessageTypeDefinition<_switchyard_controlplane_v1_WatchRequest, _switchyard_controlplane_v1_WatchRequest__Output>
      }
    }
  }
}

