/** `POST /evaluate/v1/{boolean,variant,batch}`: Flipt's REST evaluation API. */
import { performance } from 'node:perf_hooks';
import {
  batchItemJson,
  booleanJsonText,
  decodeBatchRequest,
  decodeEvaluationBody,
  roundToNanos,
  variantJsonText,
} from './evaluation-json.js';
import { headerHints, type HttpDeps } from './http-deps.js';
import { newRequestId } from './request-id.js';
import {
  header,
  isoNow,
  onBody,
  parseJsonBody,
  sendJson,
  type RequestContext,
} from './http-kit.js';

/**
 * A blank requestId gets a UUIDv4: the generated X-Request-Id when there is one (saves a UUID).
 * The duration counts from the request's arrival.
 */
function envelope(ctx: RequestContext, requestId: string) {
  return {
    requestId: requestId || (ctx.generatedId ? ctx.requestId : newRequestId()),
    durationMs: roundToNanos(performance.now() - ctx.start),
    timestamp: isoNow(),
  };
}

// The routes authenticate before reading the body, then finish synchronously when it has arrived
// (onBody: no promise per request); every error reaches ctx.fail.

/** Evaluates one boolean flag. */
export function evaluateBooleanRoute(deps: HttpDeps, ctx: RequestContext): void {
  const scope = deps.tokens.authenticate(header(ctx.req, 'authorization'));
  onBody(ctx, (body) => {
    const text = body.toString('utf8');
    const req = decodeEvaluationBody(text, header(ctx.req, 'x-flipt-namespace'));
    const result = deps.service.boolean(req, headerHints(deps, ctx), scope);
    sendJson(ctx, 200, booleanJsonText(result, envelope(ctx, req.requestId)));
  });
}

/** Evaluates one variant flag. */
export function evaluateVariantRoute(deps: HttpDeps, ctx: RequestContext): void {
  const scope = deps.tokens.authenticate(header(ctx.req, 'authorization'));
  onBody(ctx, (body) => {
    const text = body.toString('utf8');
    const req = decodeEvaluationBody(text, header(ctx.req, 'x-flipt-namespace'));
    const result = deps.service.variant(req, headerHints(deps, ctx), scope);
    sendJson(ctx, 200, variantJsonText(result, envelope(ctx, req.requestId)));
  });
}

/** Evaluates a batch; unknown flags are error items, never a failed batch. */
export function evaluateBatchRoute(deps: HttpDeps, ctx: RequestContext): void {
  const scope = deps.tokens.authenticate(header(ctx.req, 'authorization'));
  onBody(ctx, (body) => {
    const json = parseJsonBody(body.toString('utf8'));
    const batch = decodeBatchRequest(json, header(ctx.req, 'x-flipt-namespace'));
    const items = deps.service.batch(batch.requests, headerHints(deps, ctx), scope);
    const env = envelope(ctx, batch.requestId);
    sendJson(ctx, 200, {
      requestId: env.requestId,
      responses: items.map((item, i) => batchItemJson(item, batch.requests[i]!, env)),
      requestDurationMillis: env.durationMs,
    });
  });
}
