import { PLATFORM_CONNECTION } from '../auth/platform-connection.js';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  withTransaction,
  type Database,
  type Prisma,
  type Role,
  type SsoConnection,
  type SsoKind,
  type Tx,
} from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { AuditService } from '../audit/audit.service.js';
import { open, seal, type Keys } from '../common/crypto.js';
import { requirePermission } from '../common/permissions.js';
import { assertMayGrant } from '../common/role-grant.js';
import type { OrgContext } from '../common/request-context.js';
import { CONFIG, DB, KEYS } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { defaultRoleClaim, type ResolvedConnection, type RoleMapping } from './claims-policy.js';
import { DiscoveryFailed, OidcClientService } from './oidc-client.service.js';
import type {
  CreateSsoConnectionBody,
  SsoConnectionView,
  UpdateSsoConnectionBody,
} from './sso-connections.dto.js';

const GOOGLE_ISSUER = 'https://accounts.google.com';

/**
 * An enforced connection must stay usable: turning it off would lock every member out (SSO
 * enforcement accepts only sessions and tokens from enforced connections).
 */
function assertNotEnforcedWhileDisabled(enforce: boolean, enabled: boolean): void {
  if (enforce && !enabled)
    throw errors.invalidArgument('an enforced connection cannot be turned off', [
      {
        path: 'enabled',
        message:
          'turn enforcement off first (or enforce another connection), then disable this one',
      },
    ]);
}

/** AAD binding a client-secret ciphertext to its tenant and row. */
function secretAad(orgId: string, id: string): string {
  return `${orgId}|${id}`;
}

function issuerFor(kind: SsoKind, issuer: string | undefined, domain: string | undefined): string {
  if (issuer) return issuer;
  if (kind === 'GOOGLE') return GOOGLE_ISSUER;
  // Okta org authorization server: `https://{domain}`; Auth0 (also custom domains): `https://{domain}/`.
  if (kind === 'AUTH0') return `https://${domain}/`;
  return `https://${domain}`;
}

function mapping(kind: SsoKind, value: unknown): RoleMapping {
  const m = (value ?? {}) as Partial<RoleMapping>;
  return {
    claim: m.claim ?? defaultRoleClaim(kind),
    values: m.values ?? {},
    requireMatch: m.requireMatch ?? false,
  };
}

/**
 * A connection grants its default role and every mapped role at each login, on behalf of whoever
 * saved it: the saver (re-read under the transaction, not the guard's possibly stale view) must be
 * allowed to grant each of them. Returns the saver's role, stored as `savedByRole`.
 */
async function assertSaverMayGrant(
  tx: Tx,
  ctx: OrgContext,
  roleMapping: RoleMapping,
  defaultRole: Role,
): Promise<Role> {
  const me = await tx.membership.findUnique({
    where: { orgId_userId: { orgId: ctx.org.id, userId: ctx.principal.userId } },
  });
  if (!me) throw errors.notFound('organisation not found');
  assertMayGrant(me.role, defaultRole, 'defaultRole');
  for (const [value, role] of Object.entries(roleMapping.values))
    assertMayGrant(me.role, role, `roleMapping.values.${value}`);
  return me.role;
}

/**
 * Per-organisation SSO connections (org admins) and the resolution of any connection, the platform
 * one included, for the login flow. Discovery runs on every save so a wrong issuer is a 400 now,
 * not a failed login later.
 */
@Injectable()
export class SsoConnectionsService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(KEYS) private readonly keys: Keys,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly oidc: OidcClientService,
    private readonly audit: AuditService,
  ) {}

  private view(c: SsoConnection): SsoConnectionView {
    return {
      id: c.id,
      kind: c.kind,
      name: c.name,
      issuer: c.issuer,
      clientId: c.clientId,
      allowedDomains: c.allowedDomains,
      roleMapping: mapping(c.kind, c.roleMapping),
      defaultRole: c.defaultRole,
      auth0Organization: c.auth0Organization,
      enforce: c.enforce,
      enabled: c.enabled,
      loginUrl: `${this.config.publicUrl}/api/v1/auth/login?connection=${c.id}`,
      callbackUrl: this.callbackUrl(c.id),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  }

  /** The redirect URI of a connection: one per connection (mix-up defence). */
  callbackUrl(connectionId: string): string {
    return `${this.config.publicUrl}/api/v1/auth/callback/${connectionId}`;
  }

  private async checkDiscovery(
    issuer: string,
    clientId: string,
    clientSecret: string,
  ): Promise<void> {
    try {
      await this.oidc.discover(issuer, clientId, clientSecret);
    } catch (e) {
      if (e instanceof DiscoveryFailed)
        throw errors.invalidArgument(`issuer check failed: ${e.reason}`, [
          { path: 'issuer', message: e.reason },
        ]);
      throw e;
    }
  }

  async list(ctx: OrgContext): Promise<{ items: SsoConnectionView[] }> {
    requirePermission(ctx, 'org:write');
    const rows = await this.db.ssoConnection.findMany({
      where: { orgId: ctx.org.id },
      orderBy: { createdAt: 'asc' },
    });
    return { items: rows.map((r) => this.view(r)) };
  }

  async get(ctx: OrgContext, connectionId: string): Promise<SsoConnectionView> {
    requirePermission(ctx, 'org:write');
    const row = await this.db.ssoConnection.findFirst({
      where: { id: connectionId, orgId: ctx.org.id },
    });
    if (!row) throw errors.notFound('SSO connection not found');
    return this.view(row);
  }

  async create(ctx: OrgContext, body: CreateSsoConnectionBody): Promise<SsoConnectionView> {
    requirePermission(ctx, 'org:write');
    const issuer = issuerFor(body.kind, body.issuer, body.domain);
    await this.checkDiscovery(issuer, body.clientId, body.clientSecret);
    const id = randomUUID();
    const roleMapping = mapping(body.kind, body.roleMapping);
    return withTransaction(this.db, async (tx) => {
      const savedByRole = await assertSaverMayGrant(tx, ctx, roleMapping, body.defaultRole);
      const row = await tx.ssoConnection.create({
        data: {
          id,
          orgId: ctx.org.id,
          kind: body.kind,
          name: body.name,
          issuer,
          clientId: body.clientId,
          clientSecretCiphertext: seal(
            this.keys.encryption,
            body.clientSecret,
            secretAad(ctx.org.id, id),
          ),
          allowedDomains: body.allowedDomains,
          roleMapping: roleMapping as unknown as Prisma.InputJsonValue,
          defaultRole: body.defaultRole,
          auth0Organization: body.auth0Organization ?? null,
          enforce: body.enforce,
          enabled: body.enabled,
          savedByRole,
        },
      });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'sso_connection.create',
        targetType: 'sso_connection',
        targetId: id,
        after: this.view(row),
      });
      return this.view(row);
    });
  }

  async update(
    ctx: OrgContext,
    connectionId: string,
    body: UpdateSsoConnectionBody,
  ): Promise<SsoConnectionView> {
    requirePermission(ctx, 'org:write');
    const before = await this.db.ssoConnection.findFirst({
      where: { id: connectionId, orgId: ctx.org.id },
    });
    if (!before) throw errors.notFound('SSO connection not found');
    const issuer =
      body.issuer || body.domain ? issuerFor(before.kind, body.issuer, body.domain) : before.issuer;
    const clientId = body.clientId ?? before.clientId;
    if (
      issuer !== before.issuer ||
      clientId !== before.clientId ||
      body.clientSecret !== undefined
    ) {
      const secret =
        body.clientSecret ??
        open(
          this.keys.encryption,
          before.clientSecretCiphertext,
          secretAad(before.orgId, before.id),
        ).toString('utf8');
      await this.checkDiscovery(issuer, clientId, secret);
    }
    const allowedDomains = body.allowedDomains ?? before.allowedDomains;
    if (before.kind === 'GOOGLE' && allowedDomains.length === 0)
      throw errors.invalidArgument('invalid body', [
        { path: 'allowedDomains', message: 'a Google connection needs at least one domain' },
      ]);
    if (before.kind !== 'AUTH0' && body.auth0Organization)
      throw errors.invalidArgument('invalid body', [
        { path: 'auth0Organization', message: 'only for AUTH0 connections' },
      ]);
    const roleMapping = body.roleMapping
      ? mapping(before.kind, body.roleMapping)
      : mapping(before.kind, before.roleMapping);
    const defaultRole = body.defaultRole ?? before.defaultRole;
    const enforce = body.enforce ?? before.enforce;
    const enabled = body.enabled ?? before.enabled;
    assertNotEnforcedWhileDisabled(enforce, enabled);
    return withTransaction(this.db, async (tx) => {
      // Any save re-checks the whole resulting mapping: whoever saves takes over every grant it makes.
      const savedByRole = await assertSaverMayGrant(tx, ctx, roleMapping, defaultRole);
      const row = await tx.ssoConnection.update({
        where: { id: before.id },
        data: {
          name: body.name ?? before.name,
          issuer,
          clientId,
          ...(body.clientSecret !== undefined
            ? {
                clientSecretCiphertext: seal(
                  this.keys.encryption,
                  body.clientSecret,
                  secretAad(before.orgId, before.id),
                ),
              }
            : {}),
          allowedDomains,
          ...(body.roleMapping
            ? { roleMapping: roleMapping as unknown as Prisma.InputJsonValue }
            : {}),
          defaultRole,
          auth0Organization:
            body.auth0Organization === undefined
              ? before.auth0Organization
              : body.auth0Organization,
          enforce,
          enabled,
          savedByRole,
        },
      });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'sso_connection.update',
        targetType: 'sso_connection',
        targetId: row.id,
        before: this.view(before),
        after: this.view(row),
      });
      return this.view(row);
    });
  }

  async delete(ctx: OrgContext, connectionId: string): Promise<void> {
    requirePermission(ctx, 'org:write');
    await withTransaction(this.db, async (tx) => {
      const before = await tx.ssoConnection.findFirst({
        where: { id: connectionId, orgId: ctx.org.id },
      });
      if (!before) throw errors.notFound('SSO connection not found');
      await tx.ssoConnection.delete({ where: { id: before.id } });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'sso_connection.delete',
        targetType: 'sso_connection',
        targetId: before.id,
        before: this.view(before),
      });
    });
  }

  /** A connection for the login flow, with its decrypted secret; null when it does not exist. */
  async resolve(connectionId: string): Promise<ResolvedConnection | null> {
    if (connectionId === PLATFORM_CONNECTION) {
      const p = this.config.platformOidc;
      if (!p) return null;
      return {
        id: PLATFORM_CONNECTION,
        orgId: null,
        kind: 'OIDC',
        issuer: p.issuer,
        clientId: p.clientId,
        clientSecret: p.clientSecret,
        allowedDomains: [],
        roleMapping: mapping('OIDC', null),
        defaultRole: 'VIEWER',
        savedByRole: 'VIEWER',
        auth0Organization: null,
        enabled: true,
        version: 'config',
      };
    }
    const c = await this.db.ssoConnection.findUnique({ where: { id: connectionId } });
    if (!c) return null;
    return {
      id: c.id,
      orgId: c.orgId,
      kind: c.kind,
      issuer: c.issuer,
      clientId: c.clientId,
      clientSecret: open(
        this.keys.encryption,
        c.clientSecretCiphertext,
        secretAad(c.orgId, c.id),
      ).toString('utf8'),
      allowedDomains: c.allowedDomains,
      roleMapping: mapping(c.kind, c.roleMapping),
      defaultRole: c.defaultRole,
      savedByRole: c.savedByRole,
      auth0Organization: c.auth0Organization,
      enabled: c.enabled,
      version: c.updatedAt.toISOString(),
    };
  }
}
