/**
 * Flipt's `/evaluate/v1` JSON: request decoding as golang/protobuf jsonpb does it (camelCase or
 * proto names, unknown fields ignored, `null` skipped, context values strings) and responses as
 * protojson with EmitDefaultValues (every field present, enum names, proto field order).
 */
import { errors } from '@switchyard/flags/runtime';
import type { BatchItem, BooleanEvaluation, VariantEvaluation } from '@switchyard/flags';
import type { ScopedRequest } from '../evaluation/evaluation.service.js';
import { parseJsonBody } from './http-kit.js';
import { scanEvaluationRequest, type ScannedRequest } from './request-scan.js';

const TYPE_ERROR = 'invalid values for key(s) in json body';

/** A decoded single request with its transport fields. */
export interface DecodedRequest extends ScopedRequest {
  requestId: string;
  /** The namespace as the caller sent it (body, else header; may be ""): batch error items echo it. */
  requestedNamespace: string;
}

/**
 * A string field: the camelCase value unless absent or null, then the proto name's. Callers pass
 * `o.camel ?? o.snake` as named property reads: monomorphic inline caches on the usual body
 * shape, where a computed key per field (`o[name]`) goes megamorphic on the hot path.
 */
function str(v: unknown): string {
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
  const fields: ScannedRequest = {
    namespaceKey: str(o.namespaceKey ?? o.namespace_key),
    requestId: str(o.requestId ?? o.request_id),
    flagKey: str(o.flagKey ?? o.flag_key),
    entityId: str(o.entityId ?? o.entity_id),
    context: context(o.context),
    environmentKey: str(o.environmentKey ?? o.environment_key),
  };
  str(o.reference);
  return assemble(fields, namespace);
}

/**
 * Decodes the text of one EvaluationRequest body: the usual flat shape straight from the text
 * (request-scan.ts), anything else through the JSON parse and {@link decodeEvaluationRequest}.
 */
export function decodeEvaluationBody(text: string, namespace: string | undefined): DecodedRequest {
  const scanned = scanEvaluationRequest(text);
  if (scanned) return assemble(scanned, namespace);
  return decodeEvaluationRequest(parseJsonBody(text), namespace);
}

function assemble(f: ScannedRequest, namespace: string | undefined): DecodedRequest {
  const requestedNamespace = f.namespaceKey || namespace || '';
  if (!f.flagKey) throw errors.invalidArgument('flagKey must not be empty');
  return {
    requestId: f.requestId,
    requestedNamespace,
    namespaceKey: requestedNamespace || 'default',
    flagKey: f.flagKey,
    entityId: f.entityId,
    context: f.context,
    environmentKey: f.environmentKey,
  };
}

/** Decodes a BatchEvaluationRequest. */
export function decodeBatchRequest(
  body: unknown,
  namespace: string | undefined,
): { requestId: string; requests: DecodedRequest[] } {
  const o = asObject(body);
  const requestId = str(o.requestId ?? o.request_id);
  const list = o.requests ?? [];
  if (!Array.isArray(list)) throw errors.invalidArgument(TYPE_ERROR);
  return { requestId, requests: list.map((r) => decodeEvaluationRequest(r, namespace)) };
}

/** Transport fields added around an engine result. */
export interface Envelope {
  requestId: string;
  durationMs: number;
  /** RFC 3339 UTC from isoNow(): digits and `-:.TZ` only, so it is written without escaping. */
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

/**
 * JSON text of a string: as JSON.stringify, which the common case (printable ASCII without `"`
 * or `\\`: ids, keys, enum names) skips by quoting after one scan.
 */
function jsonString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) return JSON.stringify(s);
  }
  return `"${s}"`;
}

function jsonStrings(list: readonly string[]): string {
  if (list.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < list.length; i++) out += (i === 0 ? '' : ',') + jsonString(list[i]!);
  return `${out}]`;
}

/**
 * The text of `JSON.stringify(booleanJson(r, e))`, written out (the REST hot path): no
 * intermediate object, no generic serialiser walk. A test holds the two equal. The reason (an
 * enum name) and the timestamp (see {@link Envelope}) need no escaping; other strings are checked.
 */
export function booleanJsonText(r: BooleanEvaluation, e: Envelope): string {
  return (
    `{"enabled":${r.enabled ? 'true' : 'false'},"reason":"${r.reason}"` +
    `,"requestId":${jsonString(e.requestId)},"requestDurationMillis":${jsonNumber(e.durationMs)}` +
    `,"timestamp":"${e.timestamp}","flagKey":${jsonString(r.flagKey)}` +
    `,"segmentKeys":${jsonStrings(r.segmentKeys)}}`
  );
}

/** The text of `JSON.stringify(variantJson(r, e))`, written out like {@link booleanJsonText}. */
export function variantJsonText(r: VariantEvaluation, e: Envelope): string {
  return (
    `{"match":${r.match ? 'true' : 'false'},"segmentKeys":${jsonStrings(r.segmentKeys)}` +
    `,"reason":"${r.reason}","variantKey":${jsonString(r.variantKey)}` +
    `,"variantAttachment":${jsonString(r.variantAttachment)}` +
    `,"requestId":${jsonString(e.requestId)},"requestDurationMillis":${jsonNumber(e.durationMs)}` +
    `,"timestamp":"${e.timestamp}","flagKey":${jsonString(r.flagKey)}}`
  );
}

/**
 * A number as JSON.stringify writes it (`null` for NaN and infinities). Durations come rounded to
 * whole nanoseconds ({@link roundToNanos}); those are written from the integer count of
 * nanoseconds, which gives the same text as String() (the shortest round-trip decimal) without
 * its cost, the largest single one in serialising an answer. Other values take String().
 */
function jsonNumber(n: number): string {
  const ns = Math.round(n * 1e6);
  if (ns / 1e6 !== n || !(ns >= 0 && ns < 1e15)) return Number.isFinite(n) ? String(n) : 'null';
  const whole = Math.floor(ns / 1e6);
  const frac = ns - whole * 1e6;
  const head = whole < 1000 ? DIGITS[whole]! : String(whole);
  if (frac === 0) return head;
  // The six decimals as two groups of three, trailing zeros dropped: 45_120 → "04512".
  const hi = Math.floor(frac / 1000);
  const lo = frac - hi * 1000;
  return `${head}.${lo === 0 ? TRIMMED[hi]! : PADDED[hi]! + TRIMMED[lo]!}`;
}

/** `0` … `999`; the same zero-padded to three digits; and padded with trailing zeros dropped. */
const DIGITS = Array.from({ length: 1000 }, (_, i) => String(i));
const PADDED = DIGITS.map((d) => d.padStart(3, '0'));
const TRIMMED = PADDED.map((d) => d.replace(/0+$/, ''));

/**
 * Milliseconds rounded to whole nanoseconds: the resolution Flipt reports durations in, and one
 * {@link jsonNumber} writes cheaply.
 */
export function roundToNanos(ms: number): number {
  return Math.round(ms * 1e6) / 1e6;
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
