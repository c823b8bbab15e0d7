import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { errors, validateFiles, warningViews } from '@switchyard/flags';
import { diffTrees, mergeTrees, staleConflict, type Author } from '@switchyard/git-store';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { EnvironmentReader } from '../flags/environment-reader.service.js';
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
import type { ProposalView } from './proposals.dto.js';

/**
 * Proposals: reviewed changes for (typically protected) environments. A proposal is a branch with
 * its own commits (made through the flag API with `?proposal=<id>`); another member with the
 * approve permission, who authored none of its commits, approves it, which merges it as one merge
 * commit after validating the merged environment. Conflicts are reported, never overwritten.
 */
@Injectable()
export class ProposalsService {
  constructor(
    private readonly reader: EnvironmentReader,
    private readonly writer: FlagCommitter,
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
    return {
      ...view,
      ...(await diffTrees(opened.store, record.base, view.revision, opened.directory)),
    };
  }

  /**
   * Approves exactly the revision the reviewer saw (`If-Match`: the proposal's head; 428 without,
   * 409 when the proposal changed since) and merges that revision, never a later one: a change
   * pushed after review is not merged by an approval of what came before. 403 for anyone who
   * authored the proposal or one of its commits.
   */
  async approve(
    ctx: OrgContext,
    envKey: string,
    id: string,
    ifMatch: string | undefined,
  ): Promise<WriteResult> {
    requirePermission(ctx, 'proposals:approve');
    const reviewed = parseIfMatch(ifMatch);
    const opened = await this.reader.open(ctx, envKey, 'proposals:approve');
    const { record } = await this.find(opened, id);
    if (record.status !== 'open') throw errors.failedPrecondition('the proposal is already merged');
    await this.checkReviewed(opened, record, reviewed);
    await this.refuseAuthors(ctx, opened, record, reviewed);
    return this.mergeReviewed(ctx, opened, record, reviewed);
  }

  /**
   * Merges exactly `reviewed` (the proposal head that was approved) into the environment as one
   * merge commit, after validating the merged environment, and marks the proposal merged. The
   * caller checked the approval; the scheduler passes its own author and trailers.
   */
  mergeReviewed(
    ctx: OrgContext,
    opened: OpenedEnvironment,
    record: ProposalRecord,
    reviewed: string,
    by: { author?: Author; trailers?: Record<string, string> } = {},
  ): Promise<WriteResult> {
    const id = record.id;
    return this.writer.serialisedWrite(opened, async () => {
      // Again under the write lock: API edits of the proposal take the same lock.
      await this.checkReviewed(opened, record, reviewed);
      const { blob } = await this.find(opened, id);
      const source = reviewed;
      const head = await opened.store.head(opened.branch);
      if (head === null) throw staleConflict(head);
      const tree = await mergeTrees(opened.store, head, source);
      const warnings = warningViews(
        validateFiles(await opened.store.readTree(tree, opened.directory)),
      );
      const describe: EditDescription = {
        summary: `Merge proposal "${record.title}"`,
        trailers: { Proposal: id, 'Approved-By': ctx.principal.email, ...by.trailers },
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
      const approver = { userId: ctx.principal.userId, email: ctx.principal.email };
      const approval = { ...approver, revision: source, approvedAt: new Date().toISOString() };
      await writeProposal(
        opened.store,
        {
          ...record,
          status: 'merged',
          mergedBy: approver,
          mergedRevision: revision,
          approvals: [approval],
        },
        blob,
      );
      return { revision, warnings };
    });
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
