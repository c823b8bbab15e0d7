import { Inject, Injectable } from '@nestjs/common';
import { withTransaction, type Database } from '@switchyard/db';
import {
  errors,
  validateFiles,
  warningViews,
  type FlagWorkspace,
  type WarningView,
} from '@switchyard/flags';
import { isCommitId, staleConflict, type Author, type FileChanges } from '@switchyard/git-store';
import type { AuditAction } from '../audit/audit-actions.js';
import { AuditService } from '../audit/audit.service.js';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { DB } from '../common/tokens.js';
import {
  EnvironmentStoreService,
  type OpenedEnvironment,
} from '../git-hosting/environment-store.service.js';
import { EnvironmentReader } from './environment-reader.service.js';
import { PROPOSAL_BRANCHES, type ProposalBranches } from './proposal-branches.js';

/** Result of an accepted write. */
export interface WriteResult {
  revision: string;
  warnings: WarningView[];
}

/** Where a write goes: the environment's branch, or an open proposal's branch. */
export interface WriteTarget {
  envKey: string;
  ifMatch: string | undefined;
  proposal?: string | undefined;
  /** The author's commit summary, replacing the generated one. */
  message?: string | undefined;
}

/** What an edit records: the commit summary, trailers, and the audit entry. */
export interface EditDescription {
  summary: string;
  trailers?: Record<string, string>;
  action: AuditAction;
  targetType: string;
  targetId: string;
}

/** Parses `If-Match` (a quoted or bare commit id); 428 when absent. */
export function parseIfMatch(header: string | undefined): string {
  if (header === undefined || header.trim() === '') {
    throw errors.preconditionRequired('If-Match is required: send the revision (ETag) you read');
  }
  const rev = header
    .trim()
    .replace(/^W\//u, '')
    .replace(/^"(.*)"$/u, '$1');
  if (!isCommitId(rev))
    throw errors.invalidArgument('If-Match must be a revision', [
      { path: 'header.If-Match', message: 'a 40-character commit id (the ETag you read)' },
    ]);
  return rev;
}

/**
 * The write pipeline shared by every flag-API mutation: check access, refuse stale revisions
 * (If-Match), apply the edit on the revision the client read, validate the whole environment,
 * write exactly one commit authored by the caller (the store announces the new revision), and
 * audit it with the commit SHA. Writes to a proposal go to the branch the injected
 * {@link ProposalBranches} resolves.
 */
@Injectable()
export class FlagCommitter {
  constructor(
    @Inject(DB) private readonly db: Database,
    private readonly stores: EnvironmentStoreService,
    private readonly reader: EnvironmentReader,
    private readonly audit: AuditService,
    @Inject(PROPOSAL_BRANCHES) private readonly proposals: ProposalBranches,
  ) {}

  /** Runs one edit as one commit. */
  async mutate(
    ctx: OrgContext,
    target: WriteTarget,
    describe: EditDescription,
    edit: (ws: FlagWorkspace) => void,
  ): Promise<WriteResult> {
    requirePermission(ctx, 'flags:write');
    const base = parseIfMatch(target.ifMatch);
    const opened = await this.stores.open(ctx.org.id, target.envKey);
    const branch = await this.branchFor(opened, target.proposal);
    return this.stores.serialised(opened, async () => {
      const head = await opened.store.head(branch);
      if (head !== base) throw staleConflict(head);
      const ws = await this.reader.workspace(opened, base);
      edit(ws);
      const changes = ws.changes();
      const warnings = warningViews(ws.validate());
      if (changes.size === 0) return { revision: base, warnings };
      const revision = await this.commit(ctx, opened, {
        base,
        branch,
        changes: this.prefixed(opened, changes),
        describe,
      });
      return { revision, warnings };
    });
  }

  /** Runs an edit on the current head without writing: the changes (repository paths) and warnings. */
  async preview(
    ctx: OrgContext,
    envKey: string,
    edit: (ws: FlagWorkspace) => void,
  ): Promise<{
    opened: OpenedEnvironment;
    base: string;
    changes: Map<string, string | null>;
    warnings: WarningView[];
  }> {
    const opened = await this.reader.open(ctx, envKey, 'flags:write');
    const ws = await this.reader.workspace(opened, opened.head);
    edit(ws);
    const warnings = warningViews(ws.validate());
    return { opened, base: opened.head, changes: this.prefixed(opened, ws.changes()), warnings };
  }

  /**
   * Writes prepared changes as one commit and audits it (also used by revert, promotion and
   * merges). Callers have validated the whole resulting environment with libs/flags; the store
   * adds the instances' tree limits (sizes and counts of every file) before anything is written.
   */
  async commit(
    ctx: OrgContext,
    opened: OpenedEnvironment,
    input: {
      base: string;
      branch?: string;
      changes: FileChanges;
      describe: EditDescription;
      tree?: string;
      parents?: readonly string[];
      /** Who the commit names (the scheduler); defaults to the caller. */
      author?: Author;
    },
  ): Promise<string> {
    const author = input.author ?? (await this.author(ctx));
    const trailers = Object.entries(input.describe.trailers ?? {}).map(([k, v]) => `${k}: ${v}`);
    const message = `${input.describe.summary}\n\n${[...trailers, `Switchyard-Environment: ${opened.env.key}`].join('\n')}\n`;
    const revision = await this.stores.write(opened, {
      base: input.base,
      changes: input.changes,
      author,
      message,
      contentChecked: true,
      ...(input.branch ? { branch: input.branch } : {}),
      ...(input.tree ? { tree: input.tree } : {}),
      ...(input.parents ? { parents: input.parents } : {}),
    });
    await this.record(ctx, opened, input.describe, revision, input.base);
    return revision;
  }

  /** Runs a write section under the environment's in-process write lock. */
  serialisedWrite<T>(opened: OpenedEnvironment, fn: () => Promise<T>): Promise<T> {
    return this.stores.serialised(opened, fn);
  }

  /** Audit event linked to the commit SHA. */
  async record(
    ctx: OrgContext,
    opened: OpenedEnvironment,
    d: Pick<EditDescription, 'action' | 'targetType' | 'targetId' | 'summary'>,
    revision: string,
    previous: string,
  ): Promise<void> {
    await withTransaction(this.db, (tx) =>
      this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: d.action,
        targetType: d.targetType,
        targetId: d.targetId,
        before: { revision: previous },
        after: { revision, environment: opened.env.key, summary: d.summary },
      }),
    );
  }

  /** Author and committer of the caller's commits. */
  private async author(ctx: OrgContext): Promise<Author> {
    const user = await this.db.user.findUnique({ where: { id: ctx.principal.userId } });
    return { name: user?.name ?? ctx.principal.email, email: ctx.principal.email };
  }

  /** Validates the environment as it would be after `changes` (repository paths) on `base`; returns warnings. */
  async validateChanges(
    opened: OpenedEnvironment,
    base: string,
    changes: ReadonlyMap<string, string | Uint8Array | null>,
  ): Promise<WarningView[]> {
    const files: Map<string, Uint8Array | string> = await opened.store.readTree(
      base,
      opened.directory,
    );
    const prefix = opened.directory === '' ? '' : `${opened.directory}/`;
    for (const [path, content] of changes) {
      if (!path.startsWith(prefix)) continue;
      if (content === null) files.delete(path.slice(prefix.length));
      else files.set(path.slice(prefix.length), content);
    }
    return warningViews(validateFiles(files));
  }

  /** Joins the environment directory to workspace-relative paths. */
  prefixed(
    opened: OpenedEnvironment,
    changes: ReadonlyMap<string, string | null>,
  ): Map<string, string | null> {
    return new Map(
      [...changes].map(([p, c]) => [opened.directory === '' ? p : `${opened.directory}/${p}`, c]),
    );
  }

  private async branchFor(
    opened: OpenedEnvironment,
    proposal: string | undefined,
  ): Promise<string> {
    if (proposal === undefined) {
      if (opened.env.protected)
        throw errors.failedPrecondition(
          `environment "${opened.env.key}" is protected: direct edits are refused; open a proposal and send ?proposal=<id>`,
        );
      return opened.branch;
    }
    return this.proposals.branchOf(opened, proposal);
  }
}
