/**
 * Flipt's `/evaluate/v1` JSON: request decoding as golang/protobuf jsonpb does it (camelCase or
 * proto names, unknown fields ignored, `null` skipped, context values strings) and responses as
 * protojson with EmitDefaultValues (every field present, enum names, proto field order).
 */
import { errors } from '@switchyard/flags/runtime';
import type { BatchItem, BooleanEvaluation, VariantEvaluation } from '@switchyard/flags';
import type { ScopedRequest } from '../evaluation/evaluation.service.js';

const TYPE_ERROR = 'invalid values for key(s) in json body';

/** A decoded single request with its transport fields. */
export interface DecodedRequest extends ScopedRequest {
  requestId: string;
  /** The namespace as the caller sent it (body, else header; may be ""): batch error items echo it. */
  requestedNamespace: string;
}

function str(o: Record<string, unknown>, camel: string, snake: string): string {
  const v = o[camel] ?? o[snake];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw errors.invalidArgument(TYPE_ERROR);
  return v;
}

function context(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw errors.invalidArgument(TYPE_ERROR);
  // Null prototype: a context key such as "constructor" or "__proto__" is just data.
  const out = Object.create(null) as Record<string, string>;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    const x = o[k];
    // Flipt issue #664: a null value is stored as "" (behaves like a missing key).
    if (x === null) out[k] = '';
    else if (typeof x === 'string') out[k] = x;
    else throw errors.invalidArgument(TYPE_ERROR);
  }
  return out;
}

function asObject(v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw errors.invalidArgument(TYPE_ERROR);
  return v as Record<string, unknown>;
}

/** Decodes one EvaluationRequest; `namespace` fills an empty namespaceKey (X-Flipt-Namespace). */
export function decodeEvaluationRequest(
  body: unknown,
  namespace: string | undefined,
): DecodedRequest {
  const o = asObject(body);
  const requestedNamespace = str(o, 'namespaceKey', 'namespace_key') || namespace || '';
  const req: DecodedRequest = {
    requestId: str(o, 'requestId', 'request_id'),
    requestedNamespace,
    namespaceKey: requestedNamespace || 'default',
    flagKey: str(o, 'flagKey', 'flag_key'),
    entityId: str(o, 'entityId', 'entity_id'),
    context: context(o.context),
    environmentKey: str(o, 'environmentKey', 'environment_key'),
  };
  str(o, 'reference', 'reference');
  if (!req.flagKey) throw errors.invalidArgument('flagKey must not be empty');
  return req;
}

/** Decodes a BatchEvaluationRequest. */
export function decodeBatchRequest(
  body: unknown,
  namespace: string | undefined,
): { requestId: string; requests: DecodedRequest[] } {
  const o = asObject(body);
  const requestId = str(o, 'requestId', 'request_id');
  const list = o.requests ?? [];
  if (!Array.isArray(list)) throw errors.invalidArgument(TYPE_ERROR);
  return { requestId, requests: list.map((r) => decodeEvaluationRequest(r, namespace)) };
}

/** Transport fields added around an engine result. */
export interface Envelope {
  requestId: string;
  durationMs: number;
  timestamp: string;
}

/** VariantEvaluationResponse JSON (proto field order). */
export function variantJson(r: VariantEvaluation, e: Envelope) {
  return {
    match: r.match,
    segmentKeys: r.segmentKeys,
    reason: r.reason,
    variantKey: r.variantKey,
    variantAttachment: r.variantAttachment,
    requestId: e.requestId,
    requestDurationMillis: e.durationMs,
    timestamp: e.timestamp,
    flagKey: r.flagKey,
  };
}

/** BooleanEvaluationResponse JSON (proto field order). */
export function booleanJson(r: BooleanEvaluation, e: Envelope) {
  return {
    enabled: r.enabled,
    reason: r.reason,
    requestId: e.requestId,
    requestDurationMillis: e.durationMs,
    timestamp: e.timestamp,
    flagKey: r.flagKey,
    segmentKeys: r.segmentKeys,
  };
}

/** One batch item; inner responses carry the inner request's id and the batch's timing. */
export function batchItemJson(item: BatchItem, request: DecodedRequest, e: Envelope) {
  const inner = { ...e, requestId: request.requestId };
  switch (item.type) {
    case 'VARIANT_EVALUATION_RESPONSE_TYPE':
      return { type: item.type, variantResponse: variantJson(item.variantResponse, inner) };
    case 'BOOLEAN_EVALUATION_RESPONSE_TYPE':
      return { type: item.type, booleanResponse: booleanJson(item.booleanResponse, inner) };
    case 'ERROR_EVALUATION_RESPONSE_TYPE':
      return {
        type: item.type,
        errorResponse: {
          flagKey: item.errorResponse.flagKey,
          namespaceKey: request.requestedNamespace,
          reason: item.errorResponse.reason,
        },
      };
  }
}
