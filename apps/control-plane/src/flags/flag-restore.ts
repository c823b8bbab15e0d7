/**
 * Semantic restore of one flag: its state at an older revision, applied as a new commit on top of
 * the current one. Only that flag (and segments it needs that are gone) changes, so later edits
 * of neighbour flags in the same file never conflict, unlike a textual revert of a whole commit.
 * The result is validated like every other write, and protected environments take it through a
 * proposal (`?proposal=<id>`).
 */
import { Controller, Get, Headers, Injectable, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { errors, FlagWorkspace, restoreFlag, type Document } from '@switchyard/flags';
import { requireCommit } from '@switchyard/git-store';
import { text } from '../common/dto.js';
import type { OrgContext } from '../common/request-context.js';
import { Api, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { withEtag } from './etag.js';
import type { OpenedEnvironment } from '../git-hosting/environment-store.service.js';
import { EnvironmentReader } from './environment-reader.service.js';
import { FlagCommitter, type WriteResult, type WriteTarget } from './flag-committer.service.js';
import {
  flagParams,
  writeQuery,
  writeResult,
  type FlagParams,
  type WriteQuery,
} from './flags.dto.js';

export const restoreFlagBody = z.strictObject({
  revision: z
    .string()
    .regex(/^[0-9a-f]{40}$/, 'a 40-character commit id')
    .describe('the revision whose state of the flag to restore'),
  message: text(2000)
    .pipe(z.string().min(1))
    .optional()
    .describe('commit message; default "Restore flag <ns>/<key> to <revision>"'),
});
export type RestoreFlagBody = z.infer<typeof restoreFlagBody>;

export const flagAtQuery = z.strictObject({
  revision: z.string().regex(/^[0-9a-f]{40}$/, 'a 40-character commit id'),
});
export type FlagAtQuery = z.infer<typeof flagAtQuery>;
export const flagAtView = z.object({
  revision: z.string(),
  flag: z.record(z.string(), z.unknown()).nullable().describe('null: the flag did not exist then'),
});

/** Restores one flag to its state at a revision (removes it when it did not exist then). */
@Injectable()
export class FlagRestoreService {
  constructor(
    private readonly reader: EnvironmentReader,
    private readonly committer: FlagCommitter,
  ) {}

  async restore(
    ctx: OrgContext,
    target: WriteTarget,
    ns: string,
    key: string,
    body: RestoreFlagBody,
  ): Promise<WriteResult> {
    const opened = await this.reader.open(ctx, target.envKey, 'flags:write');
    await requireCommit(opened.store, body.revision, 'body.revision');
    const past = await this.pastDocument(opened.store, opened.directory, body.revision, ns, key);
    const summary = body.message ?? `Restore flag ${ns}/${key} to ${body.revision.slice(0, 12)}`;
    return this.committer.mutate(
      ctx,
      target,
      {
        summary,
        trailers: { Flag: `${ns}/${key}`, Restores: body.revision },
        action: 'flag.restore',
        targetType: 'flag',
        targetId: `${target.envKey}/${ns}/${key}`,
      },
      (ws) => {
        const refs = ws.namespaceDocs(ns);
        const at = ws.findFlag(ns, key) ?? refs[0];
        if (!at)
          throw errors.notFound(
            `namespace "${ns}" does not exist now; create it before restoring its flags`,
          );
        const others = refs.filter((r) => r.file !== at.file || r.index !== at.index);
        const result = restoreFlag(ws.doc(at), past, key, {
          segmentExists: (k) => others.some((r) => ws.doc(r).segments.some((s) => s.key === k)),
        });
        if (result.outcome === 'unchanged' && past?.flags.every((f) => f.key !== key))
          throw errors.notFound(
            `flag "${key}" exists neither now nor at revision ${body.revision.slice(0, 12)} in namespace "${ns}"`,
          );
        ws.edit(at, () => result.document);
      },
    );
  }

  /** The flag as it was at `revision` (null when it did not exist then), for history diffs. */
  async flagAt(ctx: OrgContext, envKey: string, ns: string, key: string, revision: string) {
    const opened = await this.reader.open(ctx, envKey);
    await requireCommit(opened.store, revision, 'query.revision');
    const doc = await this.pastDocument(opened.store, opened.directory, revision, ns, key);
    const flags = doc?.flags.filter((f) => f.key === key) ?? [];
    return { revision, flag: flags.at(-1) ?? null };
  }

  /** The namespace's document holding the flag at `revision` (or its first document, or none). */
  private async pastDocument(
    store: OpenedEnvironment['store'],
    directory: string,
    revision: string,
    ns: string,
    key: string,
  ): Promise<Document | undefined> {
    let ws: FlagWorkspace;
    try {
      ws = FlagWorkspace.load(await store.readTree(revision, directory));
    } catch {
      throw errors.failedPrecondition(
        `the environment does not load at revision ${revision.slice(0, 12)}, so its flags cannot be restored from it; pick another revision`,
      );
    }
    const at = ws.findFlag(ns, key) ?? ws.namespaceDocs(ns)[0];
    return at ? ws.doc(at) : undefined;
  }
}

/** `POST …/namespaces/{ns}/flags/{flag}/restore`. */
@Controller('api/v1/orgs/:org/environments/:env/namespaces')
export class FlagRestoreController {
  constructor(private readonly service: FlagRestoreService) {}

  @Get(':ns/flags/:flag/at')
  @Permission('flags:read')
  @Api({
    tag: 'flags',
    summary: 'A flag as it was at a revision (null when it did not exist then)',
    params: flagParams,
    query: flagAtQuery,
    response: flagAtView,
  })
  at(@OrgCtx() ctx: OrgContext, @Valid('params') p: FlagParams, @Valid('query') q: FlagAtQuery) {
    return this.service.flagAt(ctx, p.env, p.ns, p.flag, q.revision);
  }

  @Post(':ns/flags/:flag/restore')
  @Permission('flags:write')
  @Api({
    tag: 'flags',
    summary: 'Restore one flag to its state at a revision, as a new commit (If-Match)',
    params: flagParams,
    query: writeQuery,
    body: restoreFlagBody,
    response: writeResult,
  })
  restore(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: FlagParams,
    @Valid('query') q: WriteQuery,
    @Headers('if-match') m: string | undefined,
    @Valid('body') b: RestoreFlagBody,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return withEtag(
      r,
      this.service.restore(
        ctx,
        { envKey: p.env, ifMatch: m, proposal: q.proposal },
        p.ns,
        p.flag,
        b,
      ),
    );
  }
}
