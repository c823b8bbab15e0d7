/**
 * Read API used by SDKs and tools: `GET /api/v1/namespaces/{ns}/flags[/{key}]` (v1 Flag JSON), and
 * the paging every v1 list shares.
 */
import { errors } from '@switchyard/flags/runtime';
import type { Flag } from '@switchyard/flags';
import { headerHints, type HttpDeps } from './http-deps.js';
import { header, query, sendJson, type RequestContext } from './http-kit.js';

function variantJson(flag: Flag, ns: string, v: Flag['variants'][number]) {
  return {
    id: `${flag.key}/${v.key}`,
    flagKey: flag.key,
    key: v.key,
    name: v.name ?? '',
    description: v.description ?? '',
    attachment: v.attachment === undefined ? '' : JSON.stringify(v.attachment),
    namespaceKey: ns,
  };
}

/** v1 `Flag` JSON (proto field order; timestamps omitted: file-backed flags have none). */
export function flagJson(flag: Flag, ns: string) {
  const variants = flag.variants.map((v) => variantJson(flag, ns, v));
  const defaultIndex = flag.variants.findLastIndex((v) => v.default === true);
  return {
    key: flag.key,
    name: flag.name,
    description: flag.description ?? '',
    enabled: flag.enabled,
    variants,
    namespaceKey: ns,
    type: flag.type,
    ...(defaultIndex >= 0 ? { defaultVariant: variants[defaultIndex] } : {}),
    ...(flag.metadata ? { metadata: flag.metadata } : {}),
  };
}

function namespaceModel(deps: HttpDeps, ctx: RequestContext, nsKey: string) {
  const scope = deps.tokens.authenticate(header(ctx.req, 'authorization'));
  const hints = { ...headerHints(deps, ctx), body: query(ctx).get('environmentKey') ?? undefined };
  const picked = deps.service.pick(hints, scope, nsKey);
  return deps.service.namespace(picked, nsKey).model;
}

/** A non-negative integer query parameter, or undefined when absent. */
function nonNegativeInt(text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(n) ? n : -1;
}

/** One page of a sorted list. */
export interface Page<T> {
  items: T[];
  /** Offset of the next page as a string, '' on the last page. */
  next: string;
  total: number;
}

/**
 * Flipt's file-store paging: `pageToken` (or the deprecated `offset` the @flipt-io/flipt SDK
 * still sends) is the decimal offset, `limit` the page size (0 = all). A token that is not an
 * offset into the list is refused with Flipt's own message.
 */
export function pageOf<T>(ctx: RequestContext, all: readonly T[]): Page<T> {
  const q = query(ctx);
  const token = q.get('pageToken') || null;
  const offset = nonNegativeInt(token) ?? nonNegativeInt(q.get('offset')) ?? 0;
  if (offset < 0 || (offset > 0 && offset >= all.length))
    throw errors.invalidArgument(
      `pageToken is not valid: ${JSON.stringify(token ?? q.get('offset') ?? '')}`,
    );
  const limit = nonNegativeInt(q.get('limit')) ?? 0;
  if (limit < 0) throw errors.invalidArgument('limit must be a non-negative integer');
  const end = limit > 0 ? Math.min(offset + limit, all.length) : all.length;
  return {
    items: all.slice(offset, end),
    next: end < all.length ? String(end) : '',
    total: all.length,
  };
}

/** Lists flags sorted by key, one page at a time. */
export function listFlagsRoute(deps: HttpDeps, ctx: RequestContext, nsKey: string): void {
  const model = namespaceModel(deps, ctx, nsKey);
  const all = [...model.flags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = pageOf(ctx, all);
  sendJson(ctx, 200, {
    flags: page.items.map((f) => flagJson(f, model.key)),
    nextPageToken: page.next,
    totalCount: page.total,
  });
}

/** Gets one flag. */
export function getFlagRoute(
  deps: HttpDeps,
  ctx: RequestContext,
  nsKey: string,
  key: string,
): void {
  const model = namespaceModel(deps, ctx, nsKey);
  const flag = model.flags.find((f) => f.key === key);
  if (!flag) throw errors.notFound(`flag "${nsKey}/${key}" not found`);
  sendJson(ctx, 200, flagJson(flag, model.key));
}
