/**
 * Public shapes of the evaluation engine. The engine is pure: `compileEnvironment(environment)`
 * builds an immutable snapshot, and `evaluate*` read it. No I/O, clock or randomness: transports
 * add request ids, timestamps and durations.
 */
import type { Flag, NamespaceModel, Segment } from '../model/schema.js';
import type { CompiledFlag } from './compile.js';

/** Flipt's `EvaluationReason` enum names. */
export type EvaluationReason =
  | 'UNKNOWN_EVALUATION_REASON'
  | 'FLAG_DISABLED_EVALUATION_REASON'
  | 'MATCH_EVALUATION_REASON'
  | 'DEFAULT_EVALUATION_REASON';

/** Flipt's `ErrorEvaluationReason` enum names (batch error items). */
export type ErrorEvaluationReason =
  'UNKNOWN_ERROR_EVALUATION_REASON' | 'NOT_FOUND_ERROR_EVALUATION_REASON';

/** One evaluation request. `namespaceKey` empty or absent means `default`. */
export interface EvaluationRequest {
  namespaceKey?: string | undefined;
  flagKey: string;
  entityId: string;
  /** Context values; a missing key behaves like `""` (Flipt cannot tell them apart). */
  context?: Readonly<Record<string, string>> | undefined;
}

/** Result of a variant flag evaluation (Flipt's VariantEvaluationResponse without transport fields). */
export interface VariantEvaluation {
  flagKey: string;
  match: boolean;
  reason: EvaluationReason;
  variantKey: string;
  /** JSON text of the variant's attachment, `""` when it has none. */
  variantAttachment: string;
  segmentKeys: string[];
}

/** Result of a boolean flag evaluation (Flipt's BooleanEvaluationResponse without transport fields). */
export interface BooleanEvaluation {
  flagKey: string;
  enabled: boolean;
  reason: EvaluationReason;
  segmentKeys: string[];
}

/** One item of a batch answer, in request order. */
export type BatchItem =
  | { type: 'VARIANT_EVALUATION_RESPONSE_TYPE'; variantResponse: VariantEvaluation }
  | { type: 'BOOLEAN_EVALUATION_RESPONSE_TYPE'; booleanResponse: BooleanEvaluation }
  | {
      type: 'ERROR_EVALUATION_RESPONSE_TYPE';
      errorResponse: { flagKey: string; namespaceKey: string; reason: ErrorEvaluationReason };
    };

/**
 * Digest of a namespace at a revision: the client snapshot's ETag. It must be a pure function of
 * its arguments (equal inputs, equal digests on every instance and after restarts) and differ when
 * the revision differs. The data plane uses SHA-1 hex of `revision NUL namespaceKey`.
 */
export type NamespaceDigest = (revision: string, namespaceKey: string) => string;

/** A compiled namespace: everything evaluation needs, plus the model it came from. */
export interface NamespaceSnapshot {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** From the {@link NamespaceDigest} the snapshot was compiled with (revision + namespace key). */
  readonly digest: string;
  /** The merged model (flags and segments in document order), for read APIs and snapshot export. */
  readonly model: NamespaceModel;
  /** Flags by key. */
  readonly flags: ReadonlyMap<string, Flag>;
  /** Segments by key. */
  readonly segments: ReadonlyMap<string, Segment>;
  /** Flags compiled for evaluation, by key (engine-internal shape). */
  readonly compiled: ReadonlyMap<string, CompiledFlag>;
}

/** An immutable compiled environment at one revision. */
export interface EnvironmentSnapshot {
  /** The commit SHA (or content hash for local directories) the snapshot was built from. */
  readonly revision: string;
  readonly namespaces: ReadonlyMap<string, NamespaceSnapshot>;
}
