/**
 * OFREP (OpenFeature Remote Evaluation Protocol), Flipt v2 behaviour: single and bulk evaluation,
 * the v1 configuration document, and the SSE alias of the snapshot stream.
 */
import { createHash, randomUUID } from 'node:crypto';
import { errors } from '@switchyard/flags/runtime';
import type { NamespaceSnapshot, SwitchyardError } from '@switchyard/flags';
import type { TokenScope } from '../auth/token-table.js';
import { edgePrefix, headerHints, type HttpDeps } from './http-deps.js';
import {
  header,
  httpStatusOf,
  readJson,
  sendJson,
  toSwitchyardError,
  type RequestContext,
} from './http-kit.js';
import { snapshotStreamRoute, wantsEventStream } from './snapshot.routes.js';

const REASONS: Record<string, string> = {
  UNKNOWN_EVALUATION_REASON: 'UNKNOWN',
  FLAG_DISABLED_EVALUATION_REASON: 'DISABLED',
  MATCH_EVALUATION_REASON: 'TARGETING_MATCH',
  DEFAULT_EVALUATION_REASON: 'DEFAULT',
};

interface OfrepContext {
  entityId: string;
  context: Record<string, string>;
  flags: string[] | undefined;
}

async function readContext(ctx: RequestContext): Promise<OfrepContext> {
  const body = await readJson(ctx);
  const raw = (body as { context?: unknown } | null)?.context ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw errors.invalidArgument('context must be an object');
  const context = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v !== 'string')
      throw errors.invalidArgument(`context value "${k}" must be a string`);
    context[k] = v;
  }
  const { targetingKey, flags, ...rest } = context;
  // Without a targetingKey Flipt uses a random entity id, so percentage results vary per call.
  return {
    entityId: targetingKey || randomUUID(),
    context: rest,
    flags: flags !== undefined ? flags.split(',') : undefined,
  };
}

function evaluateOne(
  deps: HttpDeps,
  ctx: RequestContext,
  scope: TokenScope,
  ns: NamespaceSnapshot,
  env: string,
  key: string,
  oc: OfrepContext,
) {
  const flag = ns.flags.get(key);
  if (!flag) throw errors.notFound(`flag was not found ${key}`);
  const req = {
    namespaceKey: ns.key,
    flagKey: key,
    entityId: oc.entityId,
    context: oc.context,
    environmentKey: env,
  };
  const hints = headerHints(deps, ctx);
  if (flag.type === 'BOOLEAN_FLAG_TYPE') {
    const r = deps.service.boolean(req, hints, scope);
    return {
      key,
      reason: REASONS[r.reason] ?? 'UNKNOWN',
      variant: String(r.enabled),
      value: r.enabled,
    };
  }
  const r = deps.service.variant(req, hints, scope);
  const metadata: Record<string, string> = {};
  if (r.segmentKeys.length > 0) metadata.segments = r.segmentKeys.join(',');
  if (r.variantAttachment) metadata.attachment = r.variantAttachment;
  return {
    key,
    reason: REASONS[r.reason] ?? 'UNKNOWN',
    variant: r.variantKey,
    metadata,
    value: r.variantKey,
  };
}

function sendOfrepError(ctx: RequestContext, e: SwitchyardError, key: string | undefined): void {
  const errorCode =
    e.code === 'InvalidArgument'
      ? 'INVALID_CONTEXT'
      : e.code === 'NotFound'
        ? 'FLAG_NOT_FOUND'
        : 'GENERAL';
  sendJson(ctx, httpStatusOf(e), { ...(key ? { key } : {}), errorCode, errorDetails: e.message });
}

function pickNs(deps: HttpDeps, ctx: RequestContext) {
  const scope = deps.tokens.authenticate(header(ctx.req, 'authorization'));
  const nsKey = header(ctx.req, 'x-flipt-namespace') || 'default';
  const picked = deps.service.pick(headerHints(deps, ctx), scope, nsKey);
  return { scope, picked, ns: deps.service.namespace(picked, nsKey) };
}

/** `POST /ofrep/v1/evaluate/flags/{key}`. */
export async function ofrepFlagRoute(
  deps: HttpDeps,
  ctx: RequestContext,
  key: string,
): Promise<void> {
  try {
    if (!key) throw errors.invalidArgument('flag key was not provided');
    const oc = await readContext(ctx);
    const { scope, picked, ns } = pickNs(deps, ctx);
    sendJson(ctx, 200, evaluateOne(deps, ctx, scope, ns, picked.environment, key, oc));
  } catch (e) {
    sendOfrepError(ctx, toSwitchyardError(e), key);
  }
}

/** `POST /ofrep/v1/evaluate/flags`: every boolean flag and every enabled variant flag, or `context.flags`. */
export async function ofrepBulkRoute(deps: HttpDeps, ctx: RequestContext): Promise<void> {
  try {
    const oc = await readContext(ctx);
    const { scope, picked, ns } = pickNs(deps, ctx);
    const keys =
      oc.flags ??
      [...ns.flags.values()]
        .filter((f) => f.type === 'BOOLEAN_FLAG_TYPE' || f.enabled)
        .map((f) => f.key)
        .sort();
    const flags = keys.map((k) => evaluateOne(deps, ctx, scope, ns, picked.environment, k, oc));
    const hash = createHash('sha256').update(`${picked.environment}\u0000${ns.key}`);
    for (const f of flags) hash.update(`\u0000${f.key}\u0000${f.variant}`);
    const etag = `W/"${hash.digest('hex').slice(0, 16)}"`;
    if (header(ctx.req, 'if-none-match') === etag) {
      ctx.res.writeHead(304, { etag });
      ctx.res.end();
      return;
    }
    const endpoint = {
      requestUri: `${edgePrefix(deps, ctx)}/ofrep/v1/_stream/${picked.environment}/${ns.key}/events`,
    };
    sendJson(ctx, 200, { flags, eventStreams: [{ type: 'sse', endpoint }] }, { etag });
  } catch (e) {
    sendOfrepError(ctx, toSwitchyardError(e), undefined);
  }
}

/** `GET /ofrep/v1/configuration` (Flipt v1's document; handy for providers that read it). */
export function ofrepConfigurationRoute(deps: HttpDeps, ctx: RequestContext): void {
  deps.tokens.authenticate(header(ctx.req, 'authorization'));
  sendJson(ctx, 200, {
    name: 'flipt',
    capabilities: {
      cacheInvalidation: { polling: { enabled: true, minPollingIntervalMs: 1000 } },
      flagEvaluation: { supportedTypes: ['string', 'boolean'] },
    },
  });
}

/** `GET /ofrep/v1/_stream/{env}/{ns}/events`: SSE only (406 otherwise). */
export function ofrepStreamRoute(
  deps: HttpDeps,
  ctx: RequestContext,
  env: string,
  ns: string,
): void {
  if (!wantsEventStream(ctx)) {
    sendJson(ctx, 406, {
      code: 3,
      message: 'this endpoint requires Accept: text/event-stream',
      details: [],
    });
    return;
  }
  snapshotStreamRoute(deps, ctx, env, ns);
}
