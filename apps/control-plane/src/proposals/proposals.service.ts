import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { errors, isSwitchyardError, validateFiles, warningViews } from '@switchyard/flags';
import { diffTrees, mergeTrees, staleConflict, type Author } from '@switchyard/git-store';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { EnvironmentReader } from '../flags/environment-reader.service.js';
import { HookEmitter } from '../outbound-hooks/hook-emitter.service.js';
import {
  FlagCommitter,
  parseIfMatch,
  type EditDescription,
  type WriteResult,
} from '../flags/flag-committer.service.js';
import type { OpenedEnvironment } from '../git-hosting/environment-store.service.js';
import {
  listProposals,
  proposalBranch,
  readProposal,
  writeProposal,
  type ProposalRecord,
} from '../git-hosting/proposal-meta.js';
import { entityChanges, mergeBlockers, REQUIRED_APPROVALS } from './proposal-review.js';
import type { ProposalView } from './proposals.dto.js';

/**
 * Proposals: reviewed changes for (typically protected) environments. A proposal is a branch with
 * its own commits (made through the flag API with `?proposal=<id>`); another member with the
 * approve permission, who authored none of its commits, approves one revision of it; an editor
 * then merges exactly that revision as one merge commit after validating the merged environment.
 * Conflicts are reported, never overwritten.
 */
@Injectable()
export class ProposalsService {
  constructor(
    private readonly reader: EnvironmentReader,
    private readonly writer: FlagCommitter,
    private readonly hooks: HookEmitter,
  ) {}

  async create(ctx: OrgContext, envKey: string, title: string): Promise<ProposalView> {
    const opened = await this.reader.open(ctx, envKey, 'flags:write');
    const record: ProposalRecord = {
      id: randomUUID(),
      title,
      status: 'open',
      target: opened.branch,
      base: opened.head,
      createdBy: { userId: ctx.principal.userId, email: ctx.principal.email },
      createdAt: new Date().toISOString(),
    };
    await opened.store.createBranch(proposalBranch(record.id), opened.head);
    await writeProposal(opened.store, record, null);
    await this.writer.record(
      ctx,
      opened,
      { action: 'proposal.create', targetType: 'proposal', targetId: record.id, summary: title },
      opened.head,
      opened.head,
    );
    this.hooks.announce({
      orgId: ctx.org.id,
      type: 'proposal.opened',
      environment: envKey,
      actor: ctx.principal.email,
      data: { proposal: { id: record.id, title, base: record.base } },
    });
    return this.view(opened, record);
  }

  async list(ctx: OrgContext, envKey: string): Promise<{ items: ProposalView[] }> {
    const opened = await this.reader.open(ctx, envKey);
    const records = await listProposals(opened.store);
    return { items: await Promise.all(records.map((r) => this.view(opened, r))) };
  }

  async get(ctx: OrgContext, envKey: string, id: string) {
    const opened = await this.reader.open(ctx, envKey);
    const { record } = await this.find(opened, id);
    const view = await this.view(opened, record);
    const changes = await entityChanges(opened, record.base, view.revision);
    const blockers =
      record.status === 'open'
        ? await mergeBlockers(opened, {
            base: record.base,
            revision: view.revision,
            approvals: view.approvals.length,
          })
        : ['the proposal is already merged'];
    return {
      ...view,
      ...(await diffTrees(opened.store, record.base, view.revision, opened.directory)),
      ...(changes ? { changes } : {}),
      mergeable: blockers.length === 0,
      blockers,
    };
  }

  /**
   * Records an approval of exactly the revision the reviewer saw (`If-Match`: the proposal's head;
   * 428 without, 409 when the proposal changed since). It merges nothing: {@link merge} does, once
   * the current revision is approved. A later change withdraws the approval (only approvals of the
   * head count). 403 for anyone who authored the proposal or one of its commits.
   */
  async approve(
    ctx: OrgContext,
    envKey: string,
    id: string,
    ifMatch: string | undefined,
  ): Promise<ProposalView> {
    requirePermission(ctx, 'proposals:approve');
    const reviewed = parseIfMatch(ifMatch);
    const opened = await this.reader.open(ctx, envKey, 'proposals:approve');
    const { record, blob } = await this.find(opened, id);
    if (record.status !== 'open') throw errors.failedPrecondition('the proposal is already merged');
    await this.checkReviewed(opened, record, reviewed);
    await this.refuseAuthors(ctx, opened, record, reviewed);
    const approval = {
      userId: ctx.principal.userId,
      email: ctx.principal.email,
      revision: reviewed,
      approvedAt: new Date().toISOString(),
    };
    // One approval per member: approving again (a newer revision) replaces the earlier one.
    const others = (record.approvals ?? []).filter((a) => a.userId !== ctx.principal.userId);
    const next = { ...record, approvals: [...others, approval] };
    await writeProposal(opened.store, next, blob);
    await this.writer.record(
      ctx,
      opened,
      { action: 'proposal.approve', targetType: 'proposal', targetId: id, summary: record.title },
      reviewed,
      reviewed,
    );
    this.hooks.announce({
      orgId: ctx.org.id,
      type: 'proposal.approved',
      environment: envKey,
      actor: ctx.principal.email,
      data: { proposal: { id, title: record.title, approvedRevision: reviewed } },
    });
    return this.view(opened, next);
  }

  /**
   * Merges an approved proposal as one merge commit of exactly the approved revision (`If-Match`:
   * the proposal revision the caller saw; 409 when it changed since). Refused (412) without an
   * approval of that revision by another member, and (409) when it conflicts with the
   * environment; the merged environment is validated first. Any editor may merge, the author too:
   * the approval is the review.
   */
  async merge(
    ctx: OrgContext,
    envKey: string,
    id: string,
    ifMatch: string | undefined,
  ): Promise<WriteResult> {
    requirePermission(ctx, 'flags:write');
    const seen = parseIfMatch(ifMatch);
    const opened = await this.reader.open(ctx, envKey, 'flags:write');
    const first = await this.find(opened, id);
    if (first.record.status !== 'open')
      throw errors.failedPrecondition('the proposal is already merged');
    const result = await this.writer.serialisedWrite(opened, async () => {
      // Under the write lock: API edits of the proposal take the same lock.
      const { record, blob } = await this.find(opened, id);
      if (record.status !== 'open')
        throw errors.failedPrecondition('the proposal is already merged');
      await this.checkReviewed(opened, record, seen);
      const approvals = (record.approvals ?? []).filter((a) => a.revision === seen);
      if (approvals.length < REQUIRED_APPROVALS)
        throw errors.failedPrecondition(
          `the proposal needs an approval of its current revision ${seen} by another member before it is merged (a change withdraws earlier approvals)`,
        );
      return this.#mergeLocked(ctx, opened, record, blob, seen, approvals, {
        trailers: { 'Merged-By': ctx.principal.email },
      });
    });
    this.hooks.announce({
      orgId: ctx.org.id,
      type: 'proposal.merged',
      environment: envKey,
      actor: ctx.principal.email,
      data: { proposal: { id, title: first.record.title, mergedRevision: seen } },
      commit: { envKey, revision: result.revision, previous: result.head },
    });
    return { revision: result.revision, warnings: result.warnings };
  }

  /**
   * Merges exactly `reviewed` (a proposal head approved through a scheduled change) into the
   * environment as one merge commit, for the scheduler: `ctx` is the member who approved it, and
   * the approval is recorded on the proposal as theirs. The caller checked that approval.
   */
  async mergeReviewed(
    ctx: OrgContext,
    opened: OpenedEnvironment,
    record: ProposalRecord,
    reviewed: string,
    by: { author?: Author; trailers?: Record<string, string> } = {},
  ): Promise<WriteResult> {
    const id = record.id;
    const result = await this.writer.serialisedWrite(opened, async () => {
      // Under the write lock: API edits of the proposal take the same lock.
      const { record: current, blob } = await this.find(opened, id);
      if (current.status !== 'open')
        throw errors.failedPrecondition('the proposal is already merged');
      await this.checkReviewed(opened, current, reviewed);
      const approval = {
        userId: ctx.principal.userId,
        email: ctx.principal.email,
        revision: reviewed,
        approvedAt: new Date().toISOString(),
      };
      const approvals = [
        ...(current.approvals ?? []).filter(
          (a) => a.revision === reviewed && a.userId !== approval.userId,
        ),
        approval,
      ];
      return this.#mergeLocked(ctx, opened, current, blob, reviewed, approvals, by);
    });
    this.hooks.announce({
      orgId: ctx.org.id,
      type: 'proposal.merged',
      environment: opened.env.key,
      actor: ctx.principal.email,
      data: { proposal: { id, title: record.title, mergedRevision: reviewed } },
      commit: { envKey: opened.env.key, revision: result.revision, previous: result.head },
    });
    return { revision: result.revision, warnings: result.warnings };
  }

  /** The merge itself, under the write lock: validate, one merge commit, the proposal marked merged. */
  async #mergeLocked(
    ctx: OrgContext,
    opened: OpenedEnvironment,
    record: ProposalRecord,
    blob: Parameters<typeof writeProposal>[2],
    source: string,
    approvals: NonNullable<ProposalRecord['approvals']>,
    by: { author?: Author; trailers?: Record<string, string> },
  ): Promise<WriteResult & { head: string }> {
    const id = record.id;
    const head = await opened.store.head(opened.branch);
    if (head === null) throw staleConflict(head);
    const tree = await mergeTrees(opened.store, head, source);
    const warnings = warningViews(
      validateFiles(await opened.store.readTree(tree, opened.directory)),
    );
    const describe: EditDescription = {
      summary: `Merge proposal "${record.title}"`,
      trailers: {
        Proposal: id,
        'Approved-By': approvals.map((a) => a.email).join(', '),
        ...by.trailers,
      },
      action: 'proposal.merge',
      targetType: 'proposal',
      targetId: id,
    };
    const revision = await this.writer.commit(ctx, opened, {
      base: head,
      changes: new Map(),
      tree,
      parents: [source],
      describe,
      ...(by.author ? { author: by.author } : {}),
    });
    const mergedBy = { userId: ctx.principal.userId, email: ctx.principal.email };
    // The merge commit has landed, so the record must say so. Another process may have updated
    // it meanwhile (this lock is per process: an approval recorded, approvals withdrawn by a
    // push); then "merged" is written over its version instead of leaving the proposal open
    // beside its own merge commit.
    let current = { record, blob };
    for (let attempt = 1; ; attempt++) {
      try {
        await writeProposal(
          opened.store,
          { ...current.record, status: 'merged', mergedBy, mergedRevision: revision, approvals },
          current.blob,
        );
        break;
      } catch (e) {
        if (!isSwitchyardError(e, 'Conflict') || attempt >= 5) throw e;
        const reread = await readProposal(opened.store, id);
        if (!reread) throw e;
        current = reread;
      }
    }
    return { revision, warnings, head };
  }

  /**
   * Records a request for changes to exactly the revision reviewed (If-Match, like approve). It
   * blocks nothing by itself: it tells the author what to change, and it is withdrawn as soon as
   * the proposal changes (only requests of the current revision are shown).
   */
  async requestChanges(
    ctx: OrgContext,
    envKey: string,
    id: string,
    ifMatch: string | undefined,
    comment: string,
  ): Promise<ProposalView> {
    requirePermission(ctx, 'proposals:approve');
    const reviewed = parseIfMatch(ifMatch);
    const opened = await this.reader.open(ctx, envKey, 'proposals:approve');
    const { record, blob } = await this.find(opened, id);
    if (record.status !== 'open') throw errors.failedPrecondition('the proposal is already merged');
    await this.checkReviewed(opened, record, reviewed);
    if (record.createdBy.userId === ctx.principal.userId)
      throw errors.permissionDenied('you opened this proposal: another member reviews it');
    const request = {
      userId: ctx.principal.userId,
      email: ctx.principal.email,
      revision: reviewed,
      comment,
      requestedAt: new Date().toISOString(),
    };
    const next = {
      ...record,
      changeRequests: [...(record.changeRequests ?? []), request],
    };
    await writeProposal(opened.store, next, blob);
    await this.writer.record(
      ctx,
      opened,
      {
        action: 'proposal.request_changes',
        targetType: 'proposal',
        targetId: id,
        summary: comment.slice(0, 200),
      },
      reviewed,
      reviewed,
    );
    this.hooks.announce({
      orgId: ctx.org.id,
      type: 'proposal.changes_requested',
      environment: envKey,
      actor: ctx.principal.email,
      data: { proposal: { id, title: record.title, revision: reviewed, comment } },
    });
    return this.view(opened, next);
  }

  /** The reviewed revision must still be the proposal's head (and must add something). */
  async checkReviewed(
    opened: OpenedEnvironment,
    record: ProposalRecord,
    reviewed: string,
  ): Promise<void> {
    const head = await opened.store.head(proposalBranch(record.id));
    if (head !== reviewed)
      throw errors.conflict(
        `the proposal changed since you reviewed it (now at ${head ?? '(none)'}): review its current revision and approve that`,
        { revision: head },
      );
    if (head === record.base)
      throw errors.failedPrecondition('the proposal has no changes to merge');
  }

  /** 403 for whoever opened the proposal or authored one of its commits up to `source`. */
  async refuseAuthors(
    ctx: OrgContext,
    opened: OpenedEnvironment,
    record: ProposalRecord,
    source: string,
  ): Promise<void> {
    if (record.createdBy.userId === ctx.principal.userId)
      throw errors.permissionDenied('you opened this proposal: another member must approve it');
    const emails = (await opened.store.git(['log', '--format=%ae', `${record.base}..${source}`]))
      .toString()
      .split('\n');
    if (emails.includes(ctx.principal.email))
      throw errors.permissionDenied(
        'you authored changes in this proposal: another member must approve it',
      );
  }

  private async find(opened: OpenedEnvironment, id: string) {
    const found = await readProposal(opened.store, id);
    if (!found) throw errors.notFound('proposal not found');
    return found;
  }

  private async view(opened: OpenedEnvironment, r: ProposalRecord): Promise<ProposalView> {
    const revision = (await opened.store.head(proposalBranch(r.id))) ?? r.base;
    // Approvals of an earlier revision do not count (a change after review withdraws them).
    const approvals = (r.approvals ?? []).filter(
      (a) => r.status === 'merged' || a.revision === revision,
    );
    const changeRequests = (r.changeRequests ?? []).filter(
      (c) => r.status === 'open' && c.revision === revision,
    );
    return { ...r, branch: proposalBranch(r.id), revision, approvals, changeRequests };
  }
}
