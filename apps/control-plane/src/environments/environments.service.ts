import { Inject, Injectable } from '@nestjs/common';
import { withTransaction, type Database, type Environment, type Tx } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { validateRemoteOnSave } from '@switchyard/git-store';
import { AuditService } from '../audit/audit.service.js';
import { pageArgs, toPage, type Page, type PageQuery } from '../common/pagination.js';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { CONFIG, DB } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { environmentUrls, instanceGrpcAddress } from '../instances/environment-urls.js';
import { EnvironmentStoreService } from '../git-hosting/environment-store.service.js';
import { ChangeEvents } from '../events/change-events.js';
import type { AuditAction } from '../audit/audit-actions.js';
import { EnvironmentStatusService } from './environment-status.service.js';
import type {
  CreateEnvironmentBody,
  EnvironmentView,
  UpdateEnvironmentBody,
} from './environments.dto.js';

type Row = Omit<EnvironmentView, 'urls' | 'storage' | 'status'>;

function row(e: Environment): Row {
  return {
    id: e.id,
    key: e.key,
    name: e.name,
    repositoryId: e.repositoryId,
    branch: e.branch,
    directory: e.directory,
    protected: e.protected,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** Environments: (repository, branch, directory) of an organisation, addressed by key. */
@Injectable()
export class EnvironmentsService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly events: ChangeEvents,
    private readonly stores: EnvironmentStoreService,
    private readonly statuses: EnvironmentStatusService,
  ) {}

  /**
   * A view builder that adds the environment URLs and status (one instance lookup per request)
   * and the storage state of `envs`. Environments are read concurrently: every read is local.
   */
  private async viewer(
    ctx: OrgContext,
    envs: readonly Environment[],
  ): Promise<(e: Environment) => EnvironmentView> {
    const inst = await this.db.instance.findUnique({
      where: { orgId: ctx.org.id },
      select: { observedState: true, reportedAt: true },
    });
    const grpc = instanceGrpcAddress(inst?.observedState);
    const extra = new Map<string, Pick<EnvironmentView, 'storage' | 'status'>>();
    await Promise.all(
      envs.map(async (e) => {
        const state = await this.stores.storageState(e);
        const status = await this.statuses.status(
          e,
          inst,
          state === null ? undefined : state.status === 'ok' ? state.head : null,
        );
        extra.set(e.id, {
          storage:
            state === null
              ? null
              : { status: state.status, message: state.status === 'ok' ? null : state.message },
          status,
        });
      }),
    );
    return (e) => ({
      ...row(e),
      urls: environmentUrls(this.config.provisioning, ctx.org.slug, e.key, grpc),
      ...extra.get(e.id)!,
    });
  }

  async list(ctx: OrgContext, query: PageQuery): Promise<Page<EnvironmentView>> {
    requirePermission(ctx, 'environments:read');
    const page = pageArgs(query);
    const rows = await this.db.environment.findMany({
      ...page,
      where: { ...page.where, orgId: ctx.org.id },
    });
    return toPage(rows, query.limit, await this.viewer(ctx, rows.slice(0, query.limit)));
  }

  async get(ctx: OrgContext, key: string): Promise<EnvironmentView> {
    requirePermission(ctx, 'environments:read');
    const env = await this.db.environment.findUnique({
      where: { orgId_key: { orgId: ctx.org.id, key } },
    });
    if (!env) throw errors.notFound('environment not found');
    return (await this.viewer(ctx, [env]))(env);
  }

  async create(ctx: OrgContext, body: CreateEnvironmentBody): Promise<EnvironmentView> {
    requirePermission(ctx, 'environments:write');
    const created = await withTransaction(this.db, async (tx) => {
      if (body.repositoryId) await this.checkRepository(tx, ctx, body.repositoryId);
      const exists = await tx.environment.findUnique({
        where: { orgId_key: { orgId: ctx.org.id, key: body.key } },
      });
      if (exists) throw errors.alreadyExists(`environment "${body.key}" already exists`);
      const env = await tx.environment.create({
        data: {
          orgId: ctx.org.id,
          key: body.key,
          name: body.name,
          repositoryId: body.repositoryId ?? null,
          branch: body.branch,
          directory: body.directory,
          protected: body.protected,
        },
      });
      await this.changed(tx, ctx, 'environment.create', env.id, undefined, row(env));
      return env;
    });
    // A hosted environment starts with a valid layout on its branch before anyone syncs it. This
    // is the only place (with a branch move below) that creates a hosted repository.
    if (created.repositoryId === null) await this.stores.initialiseHosted(created, true);
    this.events.configChanged(ctx.org.id);
    return (await this.viewer(ctx, [created]))(created);
  }

  async update(
    ctx: OrgContext,
    key: string,
    body: UpdateEnvironmentBody,
  ): Promise<EnvironmentView> {
    requirePermission(ctx, 'environments:write');
    let initialise = false;
    const updated = await withTransaction(this.db, async (tx) => {
      const before = await tx.environment.findUnique({
        where: { orgId_key: { orgId: ctx.org.id, key } },
      });
      if (!before) throw errors.notFound('environment not found');
      const wasHosted = before.repositoryId === null;
      const branchMoves = body.branch !== undefined && body.branch !== before.branch;
      // A lost hosted repository is restored from backup, not replaced by moving the branch.
      if (wasHosted && branchMoves) {
        const state = await this.stores.storageState(before);
        if (state && state.status !== 'ok') throw errors.failedPrecondition(state.message);
      }
      initialise = (wasHosted && branchMoves) || (!wasHosted && body.repositoryId === null);
      if (body.repositoryId) await this.checkRepository(tx, ctx, body.repositoryId);
      const after = await tx.environment.update({
        where: { id: before.id },
        data: {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.repositoryId !== undefined ? { repositoryId: body.repositoryId } : {}),
          ...(body.branch !== undefined ? { branch: body.branch } : {}),
          ...(body.directory !== undefined ? { directory: body.directory } : {}),
          ...(body.protected !== undefined ? { protected: body.protected } : {}),
        },
      });
      await this.changed(tx, ctx, 'environment.update', before.id, row(before), row(after));
      return after;
    });
    // A hosted environment moved to a branch the repository lacks starts it with the default layout.
    if (initialise) await this.stores.initialiseHosted(updated, true);
    this.events.configChanged(ctx.org.id);
    return (await this.viewer(ctx, [updated]))(updated);
  }

  async delete(ctx: OrgContext, key: string): Promise<void> {
    requirePermission(ctx, 'environments:write');
    await withTransaction(this.db, async (tx) => {
      const before = await tx.environment.findUnique({
        where: { orgId_key: { orgId: ctx.org.id, key } },
      });
      if (!before) throw errors.notFound('environment not found');
      await tx.environment.delete({ where: { id: before.id } });
      await this.changed(tx, ctx, 'environment.delete', before.id, row(before), undefined);
    });
    this.events.configChanged(ctx.org.id);
  }

  // A repository id from another organisation is reported exactly like a missing one.
  private async checkRepository(tx: Tx, ctx: OrgContext, repositoryId: string): Promise<void> {
    const repo = await tx.gitRepository.findFirst({
      where: { id: repositoryId, orgId: ctx.org.id },
    });
    if (!repo)
      throw errors.invalidArgument('unknown repository', [
        { path: 'body.repositoryId', message: 'no such repository in this organisation' },
      ]);
    // Rows saved before the address policy (or edited in the database) are checked again here:
    // an environment is what makes instances connect to the repository.
    await validateRemoteOnSave(
      repo.url,
      { allowedOrigins: this.config.outbound.allowedOrigins, allowHttp: this.config.git.allowHttp },
      'body.repositoryId',
    );
  }

  /** Audit plus an outbox event so the provisioner reconfigures the org's instance. */
  private async changed(
    tx: Tx,
    ctx: OrgContext,
    action: AuditAction,
    id: string,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    await this.audit.record(tx, ctx, {
      orgId: ctx.org.id,
      action,
      targetType: 'environment',
      targetId: id,
      before,
      after,
    });
    await tx.outboxEvent.create({
      data: {
        orgId: ctx.org.id,
        topic: 'environments.changed',
        payload: { orgId: ctx.org.id, environmentId: id },
      },
    });
    await tx.instance.updateMany({
      where: { orgId: ctx.org.id },
      data: { generation: { increment: 1 } },
    });
  }
}
