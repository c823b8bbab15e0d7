import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchyard/testing';
import {
  createPrismaClient,
  migrate,
  MIGRATIONS_DIR,
  Prisma,
  type Database,
} from '../src/index.js';

let tdb: TestDatabase;
let db: Database;

beforeEach(async () => {
  tdb = await createTestDatabase({
    migrationsDir: MIGRATIONS_DIR,
    migrate: (url) =>
      migrate({ databaseUrl: url, migrationsDir: MIGRATIONS_DIR }).then(() => undefined),
  });
  db = createPrismaClient({ databaseUrl: tdb.url, maxConnections: 2 });
});
afterEach(async () => {
  await db.$disconnect();
  await tdb.drop();
});

// Scalar columns per model as Prisma sees them (generated from schema.prisma).
const scalarFields: Record<string, Record<string, string>> = {
  users: Prisma.UserScalarFieldEnum,
  identities: Prisma.IdentityScalarFieldEnum,
  organisations: Prisma.OrganisationScalarFieldEnum,
  memberships: Prisma.MembershipScalarFieldEnum,
  git_repositories: Prisma.GitRepositoryScalarFieldEnum,
  git_credentials: Prisma.GitCredentialScalarFieldEnum,
  environments: Prisma.EnvironmentScalarFieldEnum,
  client_tokens: Prisma.ClientTokenScalarFieldEnum,
  client_token_environments: Prisma.ClientTokenEnvironmentScalarFieldEnum,
  personal_access_tokens: Prisma.PersonalAccessTokenScalarFieldEnum,
  instances: Prisma.InstanceScalarFieldEnum,
  audit_events: Prisma.AuditEventScalarFieldEnum,
  sessions: Prisma.SessionScalarFieldEnum,
  idempotency_records: Prisma.IdempotencyRecordScalarFieldEnum,
  outbox_events: Prisma.OutboxEventScalarFieldEnum,
  sso_connections: Prisma.SsoConnectionScalarFieldEnum,
  sso_login_transactions: Prisma.SsoLoginTransactionScalarFieldEnum,
  sso_sessions: Prisma.SsoSessionScalarFieldEnum,
  org_domains: Prisma.OrgDomainScalarFieldEnum,
  outbound_hooks: Prisma.OutboundHookScalarFieldEnum,
  outbound_hook_deliveries: Prisma.OutboundHookDeliveryScalarFieldEnum,
  scheduled_changes: Prisma.ScheduledChangeScalarFieldEnum,
  flag_usage_buckets: Prisma.FlagUsageBucketScalarFieldEnum,
  flag_last_evaluated: Prisma.FlagLastEvaluatedScalarFieldEnum,
  applied_usage_batches: Prisma.AppliedUsageBatchScalarFieldEnum,
};

describe('schema.prisma and the SQL migrations agree', () => {
  it('has exactly the tables and columns of the Prisma models', async () => {
    expect(Object.keys(scalarFields)).toHaveLength(Object.keys(Prisma.ModelName).length);
    const rows = await db.$queryRaw<{ table_name: string; column_name: string }[]>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`;
    const actual: Record<string, string[]> = {};
    for (const r of rows) (actual[r.table_name] ??= []).push(r.column_name);
    const expected = Object.fromEntries(
      Object.entries(scalarFields).map(([t, f]) => [t, Object.values(f).sort()]),
    );
    expect(Object.fromEntries(Object.entries(actual).map(([t, c]) => [t, c.sort()]))).toEqual(
      expected,
    );
  });

  it('writes and reads every model through the generated client', async () => {
    const user = await db.user.create({ data: { email: 'a@example.com', name: 'A' } });
    await db.identity.create({
      data: { userId: user.id, issuer: 'https://idp', subject: 'sub-1', email: 'a@example.com' },
    });
    const org = await db.organisation.create({ data: { slug: 'acme', name: 'Acme' } });
    await db.membership.create({ data: { orgId: org.id, userId: user.id, role: 'OWNER' } });
    const repo = await db.gitRepository.create({
      data: { orgId: org.id, name: 'flags', url: 'https://git.example.com/flags.git' },
    });
    await db.gitCredential.create({
      data: {
        id: randomUUID(),
        orgId: org.id,
        repositoryId: repo.id,
        username: 'git',
        ciphertext: Buffer.from([1, 2, 3]),
      },
    });
    const env = await db.environment.create({
      data: {
        orgId: org.id,
        key: 'prod',
        name: 'Production',
        repositoryId: repo.id,
        protected: true,
      },
    });
    const token = await db.clientToken.create({
      data: {
        orgId: org.id,
        name: 'sdk',
        tokenHash: 'h1',
        prefix: 'sy_live_ab',
        namespaces: ['default'],
        expiresAt: new Date(Date.now() + 1000),
        environments: { create: [{ environmentId: env.id }] },
      },
    });
    await db.personalAccessToken.create({
      data: { userId: user.id, name: 'ci', tokenHash: 'h2', prefix: 'sy_pat_ab' },
    });
    await db.instance.create({
      data: { orgId: org.id, desiredState: { environments: ['prod'] }, status: 'provisioning' },
    });
    await db.auditEvent.create({
      data: {
        orgId: org.id,
        actorType: 'user',
        actorId: user.id,
        action: 'org.create',
        targetType: 'org',
        targetId: org.id,
        after: { slug: 'acme' },
      },
    });
    const session = await db.session.create({
      data: { userId: user.id, tokenHash: 'h3', expiresAt: new Date(Date.now() + 1000) },
    });
    await db.ssoConnection.create({
      data: {
        id: randomUUID(),
        orgId: org.id,
        kind: 'OKTA',
        name: 'Okta',
        issuer: 'https://acme.okta.com',
        clientId: 'c',
        clientSecretCiphertext: Buffer.from([5]),
        allowedDomains: ['acme.com'],
        roleMapping: { admins: 'ADMIN' },
      },
    });
    await db.ssoLoginTransaction.create({
      data: {
        id: 'tx',
        connectionId: 'platform',
        returnTo: '/',
        expectedIssuer: 'https://idp',
        state: 's',
        nonce: 'n',
        codeVerifier: 'v',
        expiresAt: new Date(Date.now() + 1000),
      },
    });
    await db.ssoSession.create({
      data: {
        sessionId: session.id,
        connectionId: 'platform',
        idTokenCiphertext: Buffer.from([6]),
      },
    });
    await db.idempotencyRecord.create({
      data: {
        id: randomUUID(),
        userId: user.id,
        orgId: org.id,
        key: 'k',
        requestHash: 'r',
        statusCode: 201,
        responseCiphertext: Buffer.from([4]),
      },
    });
    await db.outboxEvent.create({
      data: { orgId: org.id, topic: 'org.created', payload: { orgId: org.id } },
    });
    await db.orgDomain.create({
      data: {
        orgId: org.id,
        domain: 'acme.com',
        token: 't',
        verifiedDomain: 'acme.com',
        verifiedAt: new Date(),
      },
    });

    const full = await db.organisation.findUniqueOrThrow({
      where: { slug: 'acme' },
      include: {
        memberships: {
          include: {
            user: { include: { identities: true, sessions: true, personalAccessTokens: true } },
          },
        },
        environments: {
          include: { repository: { include: { credential: true } }, clientTokens: true },
        },
        clientTokens: { include: { environments: true } },
        instance: true,
      },
    });
    expect(full.memberships[0]?.role).toBe('OWNER');
    expect(full.memberships[0]?.user.identities[0]?.subject).toBe('sub-1');
    expect(full.memberships[0]?.user.sessions).toHaveLength(1);
    expect(full.memberships[0]?.user.personalAccessTokens[0]?.prefix).toBe('sy_pat_ab');
    expect(full.environments[0]).toMatchObject({ branch: 'main', directory: '', protected: true });
    expect(full.environments[0]?.repository?.credential?.ciphertext).toEqual(
      new Uint8Array([1, 2, 3]),
    );
    expect(full.clientTokens[0]).toMatchObject({ id: token.id, namespaces: ['default'] });
    expect(full.clientTokens[0]?.environments[0]?.environmentId).toBe(env.id);
    expect(full.instance).toMatchObject({
      status: 'provisioning',
      generation: 1,
      observedGeneration: 0,
      desiredState: { environments: ['prod'] },
    });
    expect(await db.auditEvent.findFirstOrThrow()).toMatchObject({
      action: 'org.create',
      after: { slug: 'acme' },
    });
    expect(await db.idempotencyRecord.findFirstOrThrow()).toMatchObject({
      key: 'k',
      statusCode: 201,
    });
    expect(await db.outboxEvent.findFirstOrThrow()).toMatchObject({
      topic: 'org.created',
      attempts: 0,
      processedAt: null,
    });
    expect(await db.ssoConnection.findFirstOrThrow()).toMatchObject({
      kind: 'OKTA',
      defaultRole: 'VIEWER',
      enforce: false,
      allowedDomains: ['acme.com'],
      auth0Organization: null,
      savedByRole: 'ADMIN',
    });
    expect(await db.ssoLoginTransaction.findFirstOrThrow()).toMatchObject({
      nonce: 'n',
      linkUserId: null,
    });
    // A verified domain is held by one organisation at a time.
    const other = await db.organisation.create({ data: { slug: 'other', name: 'Other' } });
    await expect(
      db.orgDomain.create({
        data: { orgId: other.id, domain: 'acme.com', token: 'u', verifiedDomain: 'acme.com' },
      }),
    ).rejects.toMatchObject({ code: 'P2002' });
    await db.orgDomain.create({ data: { orgId: other.id, domain: 'acme.com', token: 'u' } });
    expect(await db.session.findFirstOrThrow({ include: { sso: true } })).toMatchObject({
      sso: { connectionId: 'platform' },
    });

    // Cascades declared in the schema exist in SQL: deleting the org removes its rows.
    await db.organisation.delete({ where: { id: org.id } });
    expect(await db.environment.count()).toBe(0);
    expect(await db.clientTokenEnvironment.count()).toBe(0);
    expect(await db.gitCredential.count()).toBe(0);
    expect(await db.ssoConnection.count()).toBe(0);
    expect(await db.orgDomain.count({ where: { orgId: org.id } })).toBe(0);
    await db.session.delete({ where: { id: session.id } });
    expect(await db.ssoSession.count()).toBe(0);
    expect(await db.auditEvent.count()).toBe(1);
    await expect(
      db.identity.create({ data: { userId: user.id, issuer: 'https://idp', subject: 'sub-1' } }),
    ).rejects.toMatchObject({ code: 'P2002' });
  });
});
