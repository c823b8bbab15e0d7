import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ORG_ACCESS_POLICY } from '../auth/org-access-policy.js';
import { JitProvisioningService } from './jit-provisioning.service.js';
import { LoginTransactionsRepository } from './login-transactions.repository.js';
import { OidcClientService } from './oidc-client.service.js';
import { SsoConnectionsController } from './sso-connections.controller.js';
import { SsoConnectionsService } from './sso-connections.service.js';
import { SsoDiscoveryService } from './sso-discovery.service.js';
import { SsoEnforcementService } from './sso-enforcement.service.js';
import { SsoLoginController } from './sso-login.controller.js';
import { SsoLoginService } from './sso-login.service.js';

/** Single sign-on: platform and per-organisation OIDC connections, login, callback, logout, JIT provisioning. */
@Module({
  imports: [AuthModule],
  controllers: [SsoLoginController, SsoConnectionsController],
  providers: [
    SsoConnectionsService,
    SsoLoginService,
    SsoDiscoveryService,
    OidcClientService,
    LoginTransactionsRepository,
    JitProvisioningService,
    { provide: ORG_ACCESS_POLICY, useClass: SsoEnforcementService },
  ],
  // The global guard (declared in AppModule) consults the policy after resolving a membership.
  exports: [ORG_ACCESS_POLICY],
})
export class SsoModule {}
