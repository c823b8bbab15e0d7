import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  withTransaction,
  type Database,
  type GitCredential,
  type GitRepository,
} from '@switchyard/db';
import { errors, isSwitchyardError } from '@switchyard/flags';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  REMOTE_UNAVAILABLE_MESSAGE,
  testRemote,
  validateRemoteOnSave,
  type RemotePolicy,
} from '@switchyard/git-store';
import type { Logger } from 'pino';
import { AuditService } from '../audit/audit.service.js';
import { open, seal, type Keys } from '../common/crypto.js';
import { pageArgs, toPage, type Page, type PageQuery } from '../common/pagination.js';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { CONFIG, DB, KEYS, LOGGER } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import type {
  ConnectionTestView,
  CreateRepositoryBody,
  RepositoryView,
} from './repositories.dto.js';

function view(r: GitRepository & { credential: GitCredential | null }): RepositoryView {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    credential: r.credential ? { username: r.credential.username } : null,
    createdAt: r.createdAt.toISOString(),
  };
}

/** AAD binding a credential ciphertext to its tenant and row. */
function credentialAad(orgId: string, id: string): string {
  return `${orgId}|${id}`;
}

/** Git repositories and their credentials (AES-256-GCM at rest, never returned). */
@Injectable()
export class RepositoriesService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(KEYS) private readonly keys: Keys,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: OrgContext, query: PageQuery): Promise<Page<RepositoryView>> {
    requirePermission(ctx, 'repositories:read');
    const page = pageArgs(query);
    const rows = await this.db.gitRepository.findMany({
      ...page,
      where: { ...page.where, orgId: ctx.org.id },
      include: { credential: true },
    });
    return toPage(rows, query.limit, view);
  }

  async get(ctx: OrgContext, repositoryId: string): Promise<RepositoryView> {
    requirePermission(ctx, 'repositories:read');
    const repo = await this.db.gitRepository.findFirst({
      where: { id: repositoryId, orgId: ctx.org.id },
      include: { credential: true },
    });
    if (!repo) throw errors.notFound('repository not found');
    return view(repo);
  }

  async create(ctx: OrgContext, body: CreateRepositoryBody): Promise<RepositoryView> {
    requirePermission(ctx, 'repositories:write');
    // SSRF and injection rules at save time: the host is resolved and every address checked
    // (connect time checks again and pins the checked addresses).
    await validateRemoteOnSave(body.url, this.remotePolicy(), 'body.url');
    return withTransaction(this.db, async (tx) => {
      const exists = await tx.gitRepository.findUnique({
        where: { orgId_name: { orgId: ctx.org.id, name: body.name } },
      });
      if (exists) throw errors.alreadyExists(`repository "${body.name}" already exists`);
      const repo = await tx.gitRepository.create({
        data: { orgId: ctx.org.id, name: body.name, url: body.url },
      });
      if (body.credential) {
        const id = randomUUID();
        const ciphertext = seal(
          this.keys.encryption,
          body.credential.secret,
          credentialAad(ctx.org.id, id),
        );
        await tx.gitCredential.create({
          data: {
            id,
            orgId: ctx.org.id,
            repositoryId: repo.id,
            username: body.credential.username ?? null,
            ciphertext,
          },
        });
      }
      const created = await tx.gitRepository.findUniqueOrThrow({
        where: { id: repo.id },
        include: { credential: true },
      });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'repository.create',
        targetType: 'repository',
        targetId: repo.id,
        after: view(created),
      });
      return view(created);
    });
  }

  /**
   * Tests that the repository answers as a git server (lists its branches) through the address
   * policy. Every network failure gives the same answer (no port scanning through this route); the
   * cause goes to the operator log. A refusal by the policy is a 400, as at save time.
   */
  async testConnection(ctx: OrgContext, repositoryId: string): Promise<ConnectionTestView> {
    requirePermission(ctx, 'repositories:write');
    const repo = await this.db.gitRepository.findFirst({
      where: { id: repositoryId, orgId: ctx.org.id },
    });
    if (!repo) throw errors.notFound('repository not found');
    const secret = await this.readSecret(ctx.org.id, repo.id);
    const probeDir = join(this.config.git.dataDir, 'probe');
    await mkdir(probeDir, { recursive: true });
    try {
      const branches = await testRemote(
        {
          url: repo.url,
          username: secret?.username,
          secret: secret?.secret,
          policy: this.remotePolicy(),
        },
        probeDir,
      );
      return { reachable: true, branches, message: 'the repository answered' };
    } catch (e) {
      if (!isSwitchyardError(e, 'Unavailable')) throw e;
      this.logger.warn(
        { repositoryId: repo.id, orgId: ctx.org.id, detail: e.meta['detail'] ?? e.message },
        'repository connection test failed',
      );
      return { reachable: false, branches: 0, message: REMOTE_UNAVAILABLE_MESSAGE };
    }
  }

  /** The address policy for tenant remotes. */
  remotePolicy(): RemotePolicy {
    return {
      allowedOrigins: this.config.outbound.allowedOrigins,
      allowHttp: this.config.git.allowHttp,
    };
  }

  async delete(ctx: OrgContext, repositoryId: string): Promise<void> {
    requirePermission(ctx, 'repositories:write');
    await withTransaction(this.db, async (tx) => {
      const before = await tx.gitRepository.findFirst({
        where: { id: repositoryId, orgId: ctx.org.id },
        include: { credential: true },
      });
      if (!before) throw errors.notFound('repository not found');
      await tx.gitRepository.delete({ where: { id: before.id } });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'repository.delete',
        targetType: 'repository',
        targetId: before.id,
        before: view(before),
      });
    });
  }

  /** Plaintext secret for the git layer (sync, push). Scoped by org: AAD makes cross-tenant reads fail. */
  async readSecret(
    orgId: string,
    repositoryId: string,
  ): Promise<{ username: string | null; secret: string } | null> {
    const cred = await this.db.gitCredential.findFirst({ where: { repositoryId, orgId } });
    if (!cred) return null;
    return {
      username: cred.username,
      secret: open(this.keys.encryption, cred.ciphertext, credentialAad(orgId, cred.id)).toString(
        'utf8',
      ),
    };
  }
}
