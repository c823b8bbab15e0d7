import { Injectable } from '@nestjs/common';
import {
  copyEverything,
  copyFlag,
  copyNamespace,
  diffEnvironments,
  errors,
  FlagWorkspace,
} from '@switchyard/flags';
import { diffTrees } from '@switchyard/git-store';
import type { OrgContext } from '../common/request-context.js';
import { EnvironmentReader } from '../flags/environment-reader.service.js';
import { HookEmitter } from '../outbound-hooks/hook-emitter.service.js';
import {
  FlagCommitter,
  parseIfMatch,
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
    private readonly hooks: HookEmitter,
  ) {}

  /** The diff the promotion would write on the target's current revision (nothing is written). */
  async preview(ctx: OrgContext, targetKey: string, body: PromotionBody) {
    const { source, sourceRevision } = await this.source(ctx, targetKey, body);
    const p = await this.writer.preview(ctx, targetKey, (target) =>
      this.copy(source, target, body),
    );
    const tree = await p.opened.store.buildTree(p.base, p.changes);
    const diff = await diffTrees(p.opened.store, p.base, tree, p.opened.directory);
    // Both sides load: the base is a commit of the environment, the tree was validated above.
    const [before, after] = await Promise.all(
      [p.base, tree].map(async (rev) =>
        FlagWorkspace.load(await p.opened.store.readTree(rev, p.opened.directory)),
      ),
    );
    const changes = diffEnvironments(before!.environment, after!.environment);
    return { sourceRevision, targetRevision: p.base, ...diff, changes, warnings: p.warnings };
  }

  /** Applies the promotion on top of If-Match (the target revision the preview showed). */
  async promote(ctx: OrgContext, target: WriteTarget, body: PromotionBody): Promise<WriteResult> {
    const { source, sourceRevision } = await this.source(ctx, target.envKey, body);
    const what = promotionSubject(body);
    const result = await this.writer.mutate(
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
    // Nothing to copy writes no commit, and announces nothing.
    if (result.revision !== parseIfMatch(target.ifMatch))
      this.hooks.announce({
        orgId: ctx.org.id,
        type: 'promotion',
        environment: target.envKey,
        actor: ctx.principal.email,
        data: {
          promotion: {
            source: body.source,
            sourceRevision,
            what,
            ...(target.proposal !== undefined ? { proposal: target.proposal } : {}),
          },
        },
        commit: { envKey: target.envKey, revision: result.revision },
      });
    return result;
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
