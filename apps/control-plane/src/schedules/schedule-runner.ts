import { writeSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import type { Database, ScheduledChange } from '@switchyard/db';
import { edits, errors, isSwitchyardError, type Flag, type FlagWorkspace } from '@switchyard/flags';
import { diffTrees, type Author } from '@switchyard/git-store';
import { roleHolds, type OrgPermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { CONFIG, DB } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { EnvironmentReader } from '../flags/environment-reader.service.js';
import { FlagCommitter, type EditDescription } from '../flags/flag-committer.service.js';
import {
  EnvironmentStoreService,
  type OpenedEnvironment,
} from '../git-hosting/environment-store.service.js';
import { readProposal } from '../git-hosting/proposal-meta.js';
import type { PromotionBody } from '../promotion/promotion.dto.js';
import { PromotionService } from '../promotion/promotion.service.js';
import { ProposalsService } from '../proposals/proposals.service.js';
import { mergeFlagEdit } from './flag-merge.js';

/** The trailer that marks the scheduler's commit of a change (the idempotence check looks for it). */
export const SCHEDULE_TRAILER = 'Switchyard-Schedule';
/** Times a write is retried when the branch moved between reading and writing it. */
const WRITE_TRIES = 3;

/**
 * Does the git side of a claimed scheduled change: re-applies the reviewed change on the branch as
 * it is now, as one commit authored by "Switchyard scheduler on behalf of <who scheduled it>" and
 * carrying the `Switchyard-Schedule: <id>` trailer. Idempotent: when a commit with that trailer is
 * already on the branch (a worker died after committing, before recording it), that commit is the
 * result and nothing is written again. Throws a SwitchyardError (Conflict, InvalidArgument,
 * FailedPrecondition, NotFound, PermissionDenied) when the change no longer applies.
 */
@Injectable()
export class ScheduleRunner {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly stores: EnvironmentStoreService,
    private readonly reader: EnvironmentReader,
    private readonly writer: FlagCommitter,
    private readonly promotion: PromotionService,
    private readonly proposals: ProposalsService,
  ) {}

  /** Applies `row` (claimed by the caller); returns the commit that carries it. */
  async apply(row: ScheduledChange): Promise<string> {
    const env = await this.db.environment.findUnique({
      where: { id: row.environmentId },
      include: { org: { select: { slug: true } } },
    });
    if (!env) throw errors.notFound('the environment no longer exists');
    const { org, ...environment } = env;
    const opened = await this.stores.openEnvironment(environment, org.slug);
    const asApprover = row.kind === 'proposal';
    const ctx = await this.context(
      row,
      org.slug,
      asApprover ? 'proposals:approve' : 'flags:write',
      asApprover,
    );
    const author = await this.author(row);
    const revision =
      row.kind === 'proposal'
        ? await this.mergeProposal(ctx, opened, row, author)
        : await this.retryingStale(() =>
            this.writer.serialisedWrite(opened, () => this.edit(ctx, opened, row, author)),
          );
    if (this.config.scheduler.crashAfter === 'commit') {
      // Test-only fault: die the hard way between the commit and recording it.
      writeSync(2, `fault injection: SIGKILL after committing scheduled change ${row.id}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
    return revision;
  }

  /** A flag edit or a promotion, under the environment's write lock. */
  private async edit(
    ctx: OrgContext,
    opened: OpenedEnvironment,
    row: ScheduledChange,
    author: Author,
  ): Promise<string> {
    const head = await opened.store.head(opened.branch);
    if (head === null) throw errors.failedPrecondition('the environment branch is gone');
    const done = await this.committed(opened, row, head);
    if (done) return done;
    const ws = await this.reader.workspace(opened, head);
    const describe =
      row.kind === 'flag'
        ? await this.flagEdit(opened, row, ws)
        : await this.promotionEdit(opened, row, ws, head);
    const changes = ws.changes();
    // Already in place (someone made the same change meanwhile): nothing to commit.
    if (changes.size === 0) return head;
    ws.validate();
    return this.writer.commit(ctx, opened, {
      base: head,
      changes: this.writer.prefixed(opened, changes),
      describe: {
        ...describe,
        summary: row.summary,
        trailers: { ...describe.trailers, [SCHEDULE_TRAILER]: row.id },
      },
      author,
    });
  }

  /** Field-level three-way merge of the reviewed flag edit onto the flag as it is now. */
  private async flagEdit(
    opened: OpenedEnvironment,
    row: ScheduledChange,
    ws: FlagWorkspace,
  ): Promise<Omit<EditDescription, 'summary'>> {
    const ns = row.namespace!;
    const key = row.flagKey!;
    const mine = (row.payload as { document?: Flag | null }).document ?? undefined;
    const baseWs = await this.reader.workspace(opened, row.baseRevision);
    const merged = mergeFlagEdit(findFlag(baseWs, ns, key), mine, findFlag(ws, ns, key));
    if (!merged.ok) throw errors.conflict(`flag ${ns}/${key}: ${merged.reason}`);
    if (merged.flag) edits.putFlag(ws, ns, merged.flag);
    else if (findFlag(ws, ns, key)) edits.deleteFlag(ws, ns, key);
    return {
      trailers: { Flag: `${ns}/${key}` },
      action: mine ? 'flag.put' : 'flag.delete',
      targetType: 'flag',
      targetId: `${opened.env.key}/${ns}/${key}`,
    };
  }

  /**
   * Copies the reviewed revision of the source; a conflict when a file the promotion writes was
   * changed in this environment since it was reviewed (the promotion would overwrite that change).
   */
  private async promotionEdit(
    opened: OpenedEnvironment,
    row: ScheduledChange,
    ws: FlagWorkspace,
    head: string,
  ): Promise<Omit<EditDescription, 'summary'>> {
    const { promotion, sourceRevision } = row.payload as {
      promotion: PromotionBody;
      sourceRevision: string;
    };
    const source = await this.stores.open(opened.env.orgId, promotion.source);
    const sourceWs = await this.reader.workspace(source, sourceRevision);
    const baseWs = await this.reader.workspace(opened, row.baseRevision);
    this.promotion.copy(sourceWs, baseWs, promotion);
    const writes = [...this.writer.prefixed(opened, baseWs.changes()).keys()];
    const since = await diffTrees(opened.store, row.baseRevision, head, opened.directory);
    const touched = since.files.map((f) => f.path).filter((p) => writes.includes(p));
    if (touched.length > 0)
      throw errors.conflict(
        `changed since the promotion was reviewed by a later commit: ${touched.join(', ')}`,
      );
    this.promotion.copy(sourceWs, ws, promotion);
    return {
      trailers: { 'Promoted-From': `${promotion.source}@${sourceRevision}` },
      action: 'environment.promote',
      targetType: 'environment',
      targetId: opened.env.key,
    };
  }

  /** Merges the approved revision of the proposal (the proposals feature's own merge). */
  private async mergeProposal(
    ctx: OrgContext,
    opened: OpenedEnvironment,
    row: ScheduledChange,
    author: Author,
  ): Promise<string> {
    const head = await opened.store.head(opened.branch);
    const done = head === null ? null : await this.committed(opened, row, head);
    if (done) return done;
    const found = await readProposal(opened.store, row.proposalId!);
    if (!found) throw errors.notFound('the proposal no longer exists');
    if (found.record.status !== 'open')
      throw errors.failedPrecondition('the proposal was merged meanwhile by other means');
    const result = await this.retryingStale(() =>
      this.proposals.mergeReviewed(ctx, opened, found.record, row.baseRevision, {
        author,
        trailers: { [SCHEDULE_TRAILER]: row.id, 'Approved-By': row.approvedByEmail ?? '' },
      }),
    );
    return result.revision;
  }

  /** The commit on the branch carrying this change's trailer, if any (after its base). */
  private async committed(
    opened: OpenedEnvironment,
    row: ScheduledChange,
    head: string,
  ): Promise<string | null> {
    const out = await opened.store.git([
      'log',
      '--format=%H',
      '-n',
      '1',
      `--grep=^${SCHEDULE_TRAILER}: ${row.id}$`,
      `${row.baseRevision}..${head}`,
    ]);
    const sha = out.toString('utf8').trim();
    return sha === '' ? null : sha;
  }

  /**
   * Acts for whoever scheduled the change (the approver for a proposal), as long as they still
   * may: a member removed or demoted since then does not get their change applied.
   */
  private async context(
    row: ScheduledChange,
    slug: string,
    permission: OrgPermission,
    asApprover: boolean,
  ): Promise<OrgContext> {
    const userId = asApprover ? row.approvedById : row.createdById;
    const email = asApprover ? row.approvedByEmail : row.createdByEmail;
    const m =
      userId === null
        ? null
        : await this.db.membership.findUnique({
            where: { orgId_userId: { orgId: row.orgId, userId } },
          });
    if (!m || !roleHolds(m.role, permission) || email === null)
      throw errors.permissionDenied(
        `${email ?? 'the member'} who ${asApprover ? 'approved' : 'scheduled'} it may no longer make this change`,
      );
    return {
      principal: { userId: m.userId, email, via: 'system' },
      org: { id: row.orgId, slug, role: m.role },
      requestId: `schedule-${row.id}`,
    };
  }

  private async author(row: ScheduledChange): Promise<Author> {
    const user = await this.db.user.findUnique({ where: { id: row.createdById } });
    return {
      name: `Switchyard scheduler on behalf of ${user?.name ?? row.createdByEmail}`,
      email: row.createdByEmail,
    };
  }

  /** Retries when the branch moved between reading and writing (another writer, another process). */
  private async retryingStale<T>(fn: () => Promise<T>): Promise<T> {
    for (let i = 1; ; i++) {
      try {
        return await fn();
      } catch (e) {
        if (!(isSwitchyardError(e, 'Conflict') && e.message.startsWith('the branch has moved on')))
          throw e;
        if (i >= WRITE_TRIES) throw errors.unavailable('the branch kept moving; will retry');
      }
    }
  }
}

/** The flag `key` of namespace `ns` in a workspace, if any. */
function findFlag(ws: FlagWorkspace, ns: string, key: string): Flag | undefined {
  return ws.environment.namespaces.find((n) => n.key === ns)?.flags.find((f) => f.key === key);
}
