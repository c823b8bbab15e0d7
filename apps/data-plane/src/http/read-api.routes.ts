/** Read API used by SDKs and tools: `GET /api/v1/namespaces/{ns}/flags[/{key}]` (v1 Flag JSON). */
import { errors, type Flag } from '@switchyard/flags';
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

function nonNegativeInt(text: string | null, name: string): number | undefined {
  if (text === null || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw errors.invalidArgument(`${name} must be a non-negative integer`);
  return n;
}

/** Lists flags sorted by key; `pageToken` (or `offset`) is the decimal offset, `limit` the page size. */
export function listFlagsRoute(deps: HttpDeps, ctx: RequestContext, nsKey: string): void {
  const model = namespaceModel(deps, ctx, nsKey);
  const all = [...model.flags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const q = query(ctx);
  // `offset` is the deprecated spelling the @flipt-io/flipt SDK still sends; pageToken wins.
  const offset =
    nonNegativeInt(q.get('pageToken'), 'pageToken') ??
    nonNegativeInt(q.get('offset'), 'offset') ??
    0;
  const limit = nonNegativeInt(q.get('limit'), 'limit') ?? 0;
  if (offset > 0 && offset >= all.length)
    throw errors.invalidArgument('pageToken is past the end of the list');
  const end = limit > 0 ? Math.min(offset + limit, all.length) : all.length;
  sendJson(ctx, 200, {
    flags: all.slice(offset, end).map((f) => flagJson(f, model.key)),
    nextPageToken: end < all.length ? String(end) : '',
    totalCount: all.length,
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
