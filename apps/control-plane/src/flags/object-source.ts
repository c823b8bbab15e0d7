/**
 * The YAML tab's API: a flag's or segment's text exactly as stored in its feature file (its list
 * item's whole lines, comments included) with the file and line range, at the head or at a
 * revision; and a save that splices exactly that range, validated like every write (errors carry
 * file-relative line and column) and committed through the same If-Match pipeline. Saving the text
 * unchanged writes no commit.
 */
import { Controller, Get, Headers, Injectable, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { errors, type ObjectKind } from '@switchyard/flags';
import { requireCommit } from '@switchyard/git-store';
import type { OrgContext } from '../common/request-context.js';
import { Api, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { EnvironmentReader } from './environment-reader.service.js';
import { withEtag } from './etag.js';
import { FlagCommitter, type WriteResult, type WriteTarget } from './flag-committer.service.js';
import {
  flagParams,
  segmentParams,
  writeQuery,
  writeResult,
  type FlagParams,
  type SegmentParams,
  type WriteQuery,
} from './flags.dto.js';

/** The stored text is bounded like a feature file's object; 1 MiB covers any real flag. */
const MAX_SOURCE = 1 << 20;

export const sourceQuery = z.strictObject({
  revision: z
    .string()
    .regex(/^[0-9a-f]{40}$/, 'a 40-character commit id')
    .optional()
    .describe('read at this revision instead of the head'),
});
export type SourceQuery = z.infer<typeof sourceQuery>;
// YAML text keeps tabs and line breaks; other control characters (NUL above all) are refused.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/u;
export const sourceBody = z.strictObject({
  text: z
    .string()
    .max(MAX_SOURCE)
    .refine((v) => !CONTROL.test(v), {
      message: 'must not contain control characters other than tab and newlines',
    })
    .describe("the object's YAML lines as returned by GET …/source, edited"),
});
export type SourceBody = z.infer<typeof sourceBody>;
export const sourceView = z.object({
  revision: z.string(),
  file: z.string().describe('repository path of the feature file'),
  startLine: z.number().describe('1-based first line of text in the file'),
  endLine: z.number().describe('1-based last line of text in the file'),
  text: z.string().describe("the object's lines exactly as stored (comments included)"),
  version: z.string().optional().describe("the format version of the object's document"),
});

const noun = (kind: ObjectKind) => (kind === 'flags' ? 'flag' : 'segment');

/** Reads and writes objects' stored text. */
@Injectable()
export class ObjectSourceService {
  constructor(
    private readonly reader: EnvironmentReader,
    private readonly committer: FlagCommitter,
  ) {}

  async read(
    ctx: OrgContext,
    envKey: string,
    ns: string,
    kind: ObjectKind,
    key: string,
    revision: string | undefined,
  ) {
    const opened = await this.reader.open(ctx, envKey);
    if (revision !== undefined) await requireCommit(opened.store, revision, 'query.revision');
    const at = revision ?? opened.head;
    const ws = await this.reader.workspace(opened, at);
    const ref = kind === 'flags' ? ws.findFlag(ns, key) : ws.findSegment(ns, key);
    if (!ref) throw errors.notFound(`${noun(kind)} "${key}" not found in namespace "${ns}"`);
    const src = ws.source(ns, kind, key);
    if (!src)
      throw errors.failedPrecondition(
        `${noun(kind)} "${key}" is stored in ${ref.file} as JSON or flow-style YAML, which has no editable text of its own; use the form`,
      );
    const version = ws.doc(ref).version;
    return {
      revision: at,
      file: opened.directory === '' ? src.file : `${opened.directory}/${src.file}`,
      startLine: src.startLine,
      endLine: src.endLine,
      text: src.text,
      ...(version !== undefined ? { version } : {}),
    };
  }

  write(
    ctx: OrgContext,
    t: WriteTarget,
    ns: string,
    kind: ObjectKind,
    key: string,
    body: SourceBody,
  ): Promise<WriteResult> {
    const target = noun(kind);
    return this.committer.mutate(
      ctx,
      t,
      {
        summary: t.message ?? `Edit ${target} ${ns}/${key} as YAML`,
        trailers: { [kind === 'flags' ? 'Flag' : 'Segment']: `${ns}/${key}` },
        action: kind === 'flags' ? 'flag.put' : 'segment.put',
        targetType: target,
        targetId: `${t.envKey}/${ns}/${key}`,
      },
      (ws) => {
        const found = kind === 'flags' ? ws.findFlag(ns, key) : ws.findSegment(ns, key);
        if (!found) throw errors.notFound(`${target} "${key}" not found in namespace "${ns}"`);
        ws.replaceSource(ns, kind, key, body.text);
      },
    );
  }
}

const target = (p: { env: string }, q: WriteQuery, m: string | undefined): WriteTarget => ({
  envKey: p.env,
  ifMatch: m,
  proposal: q.proposal,
  message: q.message,
});

/** `GET|PUT …/namespaces/{ns}/flags/{flag}/source` and `…/segments/{segment}/source`. */
@Controller('api/v1/orgs/:org/environments/:env/namespaces')
export class ObjectSourceController {
  constructor(private readonly sources: ObjectSourceService) {}

  @Get(':ns/flags/:flag/source')
  @Permission('flags:read')
  @Api({
    tag: 'flags',
    summary: "A flag's YAML exactly as stored, with its file and line range",
    params: flagParams,
    query: sourceQuery,
    response: sourceView,
  })
  flag(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: FlagParams,
    @Valid('query') q: SourceQuery,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return withEtag(r, this.sources.read(ctx, p.env, p.ns, 'flags', p.flag, q.revision));
  }

  @Put(':ns/flags/:flag/source')
  @Permission('flags:write')
  @Api({
    tag: 'flags',
    summary: "Replace a flag's stored YAML lines (If-Match); the rest of the file is kept",
    params: flagParams,
    query: writeQuery,
    body: sourceBody,
    response: writeResult,
  })
  putFlag(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: FlagParams,
    @Valid('query') q: WriteQuery,
    @Headers('if-match') m: string | undefined,
    @Valid('body') b: SourceBody,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return withEtag(r, this.sources.write(ctx, target(p, q, m), p.ns, 'flags', p.flag, b));
  }

  @Get(':ns/segments/:segment/source')
  @Permission('flags:read')
  @Api({
    tag: 'flags',
    summary: "A segment's YAML exactly as stored, with its file and line range",
    params: segmentParams,
    query: sourceQuery,
    response: sourceView,
  })
  segment(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: SegmentParams,
    @Valid('query') q: SourceQuery,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return withEtag(r, this.sources.read(ctx, p.env, p.ns, 'segments', p.segment, q.revision));
  }

  @Put(':ns/segments/:segment/source')
  @Permission('flags:write')
  @Api({
    tag: 'flags',
    summary: "Replace a segment's stored YAML lines (If-Match); the rest of the file is kept",
    params: segmentParams,
    query: writeQuery,
    body: sourceBody,
    response: writeResult,
  })
  putSegment(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: SegmentParams,
    @Valid('query') q: WriteQuery,
    @Headers('if-match') m: string | undefined,
    @Valid('body') b: SourceBody,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return withEtag(r, this.sources.write(ctx, target(p, q, m), p.ns, 'segments', p.segment, b));
  }
}
