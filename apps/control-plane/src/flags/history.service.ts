import { Injectable } from '@nestjs/common';
import { errors } from '@switchyard/flags';
import {
  diffTrees,
  history,
  requireCommit,
  revertChanges,
  type HistoryPage,
  type TreeDiff,
} from '@switchyard/git-store';
import type { OrgContext } from '../common/request-context.js';
import { flagHistory } from './flag-history.js';
import { EnvironmentReader } from './environment-reader.service.js';
import {
  FlagCommitter,
  parseIfMatch,
  type EditDescription,
  type WriteResult,
} from './flag-committer.service.js';
import type { DiffQueryDto, HistoryQueryDto } from './history.dto.js';

/** History, diff and revert of an environment's branch. */
@Injectable()
export class HistoryService {
  constructor(
    private readonly reader: EnvironmentReader,
    private readonly writer: FlagCommitter,
  ) {}

  /** Commits touching the environment (optionally one namespace's files, or one flag), newest first. */
  async history(
    ctx: OrgContext,
    envKey: string,
    q: HistoryQueryDto,
  ): Promise<HistoryPage & { revision: string }> {
    if (q.flag !== undefined && q.namespace === undefined)
      throw errors.invalidArgument('flag needs namespace', [
        { path: 'query.namespace', message: 'required with flag' },
      ]);
    const opened = await this.reader.open(ctx, envKey);
    let paths = opened.directory === '' ? [] : [opened.directory];
    if (q.namespace !== undefined) {
      const ws = await this.reader.workspace(opened, opened.head);
      const files = [...new Set(ws.namespaceDocs(q.namespace).map((r) => r.file))];
      if (files.length === 0) throw errors.notFound(`namespace "${q.namespace}" not found`);
      paths = files.map((f) => (opened.directory === '' ? f : `${opened.directory}/${f}`));
    }
    const page =
      q.flag !== undefined
        ? await flagHistory(opened.store, {
            rev: opened.head,
            paths,
            namespace: q.namespace!,
            flag: q.flag,
            limit: q.limit,
            after: q.cursor,
          })
        : await history(opened.store, { rev: opened.head, paths, limit: q.limit, after: q.cursor });
    return { revision: opened.head, ...page };
  }

  /** Changes between two revisions, limited to the environment's directory. */
  async diff(
    ctx: OrgContext,
    envKey: string,
    q: DiffQueryDto,
  ): Promise<TreeDiff & { from: string; to: string }> {
    const opened = await this.reader.open(ctx, envKey);
    const to = q.to ?? opened.head;
    await requireCommit(opened.store, q.from, 'query.from');
    await requireCommit(opened.store, to, 'query.to');
    return { from: q.from, to, ...(await diffTrees(opened.store, q.from, to, opened.directory)) };
  }

  /** Undoes one commit as a new commit on top of If-Match (validated like any edit). */
  async revert(
    ctx: OrgContext,
    envKey: string,
    ifMatch: string | undefined,
    revision: string,
  ): Promise<WriteResult> {
    const opened = await this.reader.open(ctx, envKey, 'flags:write');
    const base = parseIfMatch(ifMatch);
    if (opened.env.protected)
      throw errors.failedPrecondition(
        `environment "${envKey}" is protected: revert through a proposal`,
      );
    if (opened.head !== base)
      throw errors.conflict(
        `the branch has moved on: current revision is ${opened.head}; reload and apply your change again`,
        { revision: opened.head },
      );
    const changes = await revertChanges(opened.store, revision, base);
    const warnings = await this.writer.validateChanges(opened, base, changes);
    const describe: EditDescription = {
      summary: `Revert ${revision.slice(0, 12)}`,
      trailers: { Reverts: revision },
      action: 'environment.revert',
      targetType: 'environment',
      targetId: opened.env.id,
    };
    const next = await this.writer.commit(ctx, opened, { base, changes, describe });
    return { revision: next, warnings };
  }
}
