import { Injectable } from '@nestjs/common';
import {
  copyEverything,
  copyFlag,
  copyNamespace,
  errors,
  type FlagWorkspace,
} from '@switchyard/flags';
import { diffTrees } from '@switchyard/git-store';
import type { OrgContext } from '../common/request-context.js';
import { EnvironmentReader } from '../flags/environment-reader.service.js';
import {
  FlagCommitter,
  type WriteResult,
  type WriteTarget,
} from '../flags/flag-committer.service.js';
import type { PromotionBody } from './promotion.dto.js';

/** What a promotion copies, in words ("flag default/banner", "everything"). */
export function promotionSubject(body: PromotionBody): string {
  return body.flags !== undefined
    ? body.flags.length <= 5
      ? `flags ${body.flags.map((f) => `${body.namespace}/${f}`).join(', ')}`
      : `${body.flags.length} flags of namespace ${body.namespace}`
    : body.flag !== undefined
      ? `flag ${body.namespace}/${body.flag}`
      : body.namespace !== undefined
        ? `namespace ${body.namespace}`
        : 'everything';
}

/** Promotion: copy a flag, a namespace or everything from one environment to another as one commit. */
@Injectable()
export class PromotionService {
  constructor(
    private readonly reader: EnvironmentReader,
    private readonly writer: FlagCommitter,
  ) {}

  /** The diff the promotion would write on the target's current revision (nothing is written). */
  async preview(ctx: OrgContext, targetKey: string, body: PromotionBody) {
    const { source, sourceRevision } = await this.source(ctx, targetKey, body);
    const p = await this.writer.preview(ctx, targetKey, (target) =>
      this.copy(source, target, body),
    );
    const tree = await p.opened.store.buildTree(p.base, p.changes);
    const diff = await diffTrees(p.opened.store, p.base, tree, p.opened.directory);
    return { sourceRevision, targetRevision: p.base, ...diff, warnings: p.warnings };
  }

  /** Applies the promotion on top of If-Match (the target revision the preview showed). */
  async promote(ctx: OrgContext, target: WriteTarget, body: PromotionBody): Promise<WriteResult> {
    const { source, sourceRevision } = await this.source(ctx, target.envKey, body);
    const what = promotionSubject(body);
    return this.writer.mutate(
      ctx,
      target,
      {
        summary: `Promote ${what} from ${body.source}`,
        trailers: { 'Promoted-From': `${body.source}@${sourceRevision}` },
        action: 'environment.promote',
        targetType: 'environment',
        targetId: target.envKey,
      },
      (ws) => this.copy(source, ws, body),
    );
  }

  private async source(
    ctx: OrgContext,
    targetKey: string,
    body: PromotionBody,
  ): Promise<{ source: FlagWorkspace; sourceRevision: string }> {
    if (body.source === targetKey)
      throw errors.invalidArgument('source and target are the same environment', [
        { path: 'body.source', message: 'must differ from the target' },
      ]);
    const opened = await this.reader.open(ctx, body.source);
    return {
      source: await this.reader.workspace(opened, opened.head),
      sourceRevision: opened.head,
    };
  }

  /** Copies what `body` names from `source` into `target` (both workspaces, nothing written). */
  copy(source: FlagWorkspace, target: FlagWorkspace, body: PromotionBody): void {
    if (body.flags !== undefined)
      for (const f of new Set(body.flags)) copyFlag(source, target, body.namespace!, f);
    else if (body.flag !== undefined) copyFlag(source, target, body.namespace!, body.flag);
    else if (body.namespace !== undefined) copyNamespace(source, target, body.namespace);
    else copyEverything(source, target);
  }
}
