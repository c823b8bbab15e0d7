import { Injectable } from '@nestjs/common';
import { FlagWorkspace } from '@switchyard/flags';
import { requirePermission, type OrgPermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import {
  EnvironmentStoreService,
  type OpenedEnvironment,
} from '../git-hosting/environment-store.service.js';

/**
 * Reads an environment's flag files for the caller: checks the permission, opens the environment's
 * store and loads a revision as a workspace. Reads never go through the committer, so reading code
 * cannot write.
 */
@Injectable()
export class EnvironmentReader {
  constructor(private readonly stores: EnvironmentStoreService) {}

  /** Opens an environment after checking `permission` (reading by default). */
  async open(
    ctx: OrgContext,
    envKey: string,
    permission: OrgPermission = 'flags:read',
  ): Promise<OpenedEnvironment> {
    requirePermission(ctx, permission);
    return this.stores.open(ctx.org.id, envKey);
  }

  /** Loads the environment's files at `revision` as a workspace (FailedPrecondition when it does not load). */
  async workspace(opened: OpenedEnvironment, revision: string): Promise<FlagWorkspace> {
    return FlagWorkspace.load(await opened.store.readTree(revision, opened.directory));
  }
}
