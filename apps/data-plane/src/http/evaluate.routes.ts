/** `POST /evaluate/v1/{boolean,variant,batch}`: Flipt's REST evaluation API. */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  batchItemJson,
  booleanJson,
  decodeBatchRequest,
  decodeEvaluationRequest,
  variantJson,
} from './evaluation-json.js';
import { headerHints, type HttpDeps } from './http-deps.js';
import { header, isoNow, readJson, sendJson, type RequestContext } from './http-kit.js';

/** A blank requestId gets a UUIDv4: the generated X-Request-Id when there is one (saves a UUID). */
function envelope(ctx: RequestContext, requestId: string, start: number) {
  return {
    requestId: requestId || (ctx.generatedId ? ctx.requestId : randomUUID()),
    durationMs: performance.now() - start,
    timestamp: isoNow(),
  };
}

/** Evaluates one boolean flag. */
export async function evaluateBooleanRoute(deps: HttpDeps, ctx: RequestContext): Promise<void> {
  const start = performance.now();
  const scope = deps.tokens.authenticate(header(ctx.req, 'authorization'));
  const req = decodeEvaluationRequest(await readJson(ctx), header(ctx.req, 'x-flipt-namespace'));
  const result = deps.service.boolean(req, headerHints(deps, ctx), scope);
  sendJson(ctx, 200, booleanJson(result, envelope(ctx, req.requestId, start)));
}

/** Evaluates one variant flag. */
export async function evaluateVariantRoute(deps: HttpDeps, ctx: RequestContext): Promise<void> {
  const start = performance.now();
  const scope = deps.tokens.authenticate(header(ctx.req, 'authorization'));
  const req = decodeEvaluationRequest(await readJson(ctx), header(ctx.req, 'x-flipt-namespace'));
  const result = deps.service.variant(req, headerHints(deps, ctx), scope);
  sendJson(ctx, 200, variantJson(result, envelope(ctx, req.requestId, start)));
}

/** Evaluates a batch; unknown flags are error items, never a failed batch. */
export async function evaluateBatchRoute(deps: HttpDeps, ctx: RequestContext): Promise<void> {
  const start = performance.now();
  const scope = deps.tokens.authenticate(header(ctx.req, 'authorization'));
  const batch = decodeBatchRequest(await readJson(ctx), header(ctx.req, 'x-flipt-namespace'));
  const items = deps.service.batch(batch.requests, headerHints(deps, ctx), scope);
  const env = envelope(ctx, batch.requestId, start);
  sendJson(ctx, 200, {
    requestId: env.requestId,
    responses: items.map((item, i) => batchItemJson(item, batch.requests[i]!, env)),
    requestDurationMillis: env.durationMs,
  });
}
