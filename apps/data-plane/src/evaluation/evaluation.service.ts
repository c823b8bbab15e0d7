/**
 * What every transport does around the pure engine: choose the environment (body, then
 * `X-Flipt-Environment`, then the URL's, then the default; a named environment that does not
 * exist is a 404 rather than Flipt's silent fallback, so a typo cannot serve another environment's
 * flags), check the token's scope, pick the snapshot once, evaluate, count. No I/O and no awaits: a request
 * that picked a snapshot finishes on it even if sync swaps a new one in meanwhile.
 */
import { errors, evaluateBatch, evaluateBoolean, evaluateVariant } from '@switchyard/flags/runtime';
import type {
  BatchItem,
  BooleanEvaluation,
  EnvironmentSnapshot,
  EvaluationRequest,
  NamespaceSnapshot,
  VariantEvaluation,
} from '@switchyard/flags';
import { authorize, type TokenScope } from '../auth/token-table.js';
import type { DataPlaneMetrics } from '../metrics/metrics.js';
import type { UsageCounter } from '../metrics/usage-counter.js';
import type { EnvironmentRegistry } from '../state/environment-registry.js';

/** Where the environment of a request may come from, most specific first. */
export interface EnvironmentHints {
  /** `environmentKey` in the request body. */
  body?: string | undefined;
  /** `X-Flipt-Environment` header or `x-flipt-environment` metadata. */
  header?: string | undefined;
  /** Environment implied by the URL (edge header, path parameter). */
  edge?: string | undefined;
}

/**
 * The environment of a request through an environment URL. Another environment named in the body
 * or header is refused: answering from it would let one environment's URL (and its allow-lists,
 * rate limits, logs) serve another's flags. `default` is the value SDKs send unless configured,
 * so at an environment URL it means the URL's environment.
 */
function pinnedEnvironment(
  pinned: string,
  body: string | undefined,
  header: string | undefined,
): string {
  // Two plain checks: this runs on every request through an environment URL.
  refuseOther(pinned, body, 'environmentKey');
  refuseOther(pinned, header, 'x-flipt-environment');
  return pinned;
}

function refuseOther(pinned: string, key: string | undefined, where: string): void {
  if (key && key !== pinned && key !== 'default')
    throw errors.invalidArgument(
      `this environment URL serves environment "${pinned}" but the request names "${key}" ` +
        `in ${where}; use the URL of environment "${key}" or leave ${where} out`,
    );
}

/** A transport-level evaluation request: the engine's request plus routing hints. */
export interface ScopedRequest extends EvaluationRequest {
  environmentKey?: string | undefined;
}

/** A resolved environment with the snapshot picked for this request. */
export interface PickedSnapshot {
  environment: string;
  snapshot: EnvironmentSnapshot;
}

/** Evaluation and snapshot access shared by REST, gRPC, OFREP and the snapshot endpoints. */
export class EvaluationService {
  constructor(
    readonly registry: EnvironmentRegistry,
    private readonly metrics: DataPlaneMetrics,
    /** Evaluation counts for the control plane (instance mode); absent when nobody reads them. */
    private readonly usage?: UsageCounter,
  ) {}

  /**
   * Body, then header, then the instance default. An explicitly named unknown environment is a
   * 404 — except the SDKs' built-in header value `default` when no environment has that key, which
   * means "the default environment". An environment URL (the edge's environment) pins the
   * environment: naming another one is a 400, never answered from it.
   */
  resolveEnvironment(h: EnvironmentHints, body: string | undefined = h.body): string {
    const pinned = this.#explicit(h.edge);
    if (pinned !== undefined) return pinnedEnvironment(pinned, body, h.header);
    const key = this.#explicit(body) ?? this.#explicit(h.header) ?? this.#explicit(h.edge);
    if (key !== undefined) return key;
    const fallback = this.registry.defaultKey;
    if (fallback === undefined) throw errors.notFound('no environment configured');
    return fallback;
  }

  /** `key` when it names an environment; undefined when absent or the SDK default; else 404. */
  #explicit(key: string | undefined): string | undefined {
    if (!key) return undefined;
    if (this.registry.has(key)) return key;
    if (key === 'default') return undefined;
    throw errors.notFound(`environment "${key}" not found`);
  }

  /** Resolves, authorizes and picks the current snapshot; 503 (Unavailable) before the first one. */
  pick(
    h: EnvironmentHints,
    scope: TokenScope,
    namespace?: string,
    body: string | undefined = h.body,
  ): PickedSnapshot {
    const environment = this.resolveEnvironment(h, body);
    authorize(scope, environment, namespace);
    const snapshot = this.registry.snapshot(environment);
    if (!snapshot) throw errors.unavailable(`environment "${environment}" is not ready`);
    return { environment, snapshot };
  }

  /** The namespace snapshot, or NotFound. */
  namespace(picked: PickedSnapshot, key: string): NamespaceSnapshot {
    const ns = picked.snapshot.namespaces.get(key);
    if (!ns) throw errors.notFound(`namespace "${key}" not found`);
    return ns;
  }

  /** Evaluates a variant flag. */
  variant(req: ScopedRequest, h: EnvironmentHints, scope: TokenScope): VariantEvaluation {
    const ns = req.namespaceKey || 'default';
    const picked = this.pick(h, scope, ns, req.environmentKey);
    if (req.namespaceKey !== ns) req = { ...req, namespaceKey: ns };
    const result = evaluateVariant(picked.snapshot, req);
    this.metrics.evaluation(picked.environment, ns, result.flagKey, result.reason);
    this.usage?.count(picked.environment, ns, result.flagKey, result.variantKey, result.reason);
    return result;
  }

  /** Evaluates a boolean flag. */
  boolean(req: ScopedRequest, h: EnvironmentHints, scope: TokenScope): BooleanEvaluation {
    const ns = req.namespaceKey || 'default';
    const picked = this.pick(h, scope, ns, req.environmentKey);
    if (req.namespaceKey !== ns) req = { ...req, namespaceKey: ns };
    const result = evaluateBoolean(picked.snapshot, req);
    this.metrics.evaluation(picked.environment, ns, result.flagKey, result.reason);
    this.usage?.count(
      picked.environment,
      ns,
      result.flagKey,
      result.enabled ? 'true' : 'false',
      result.reason,
    );
    return result;
  }

  /**
   * Evaluates a batch. Each inner request may name its own environment; requests are grouped
   * per environment so each group runs on one snapshot, and answers keep request order.
   */
  batch(reqs: readonly ScopedRequest[], h: EnvironmentHints, scope: TokenScope): BatchItem[] {
    const out = new Array<BatchItem>(reqs.length);
    const groups = new Map<string, { picked: PickedSnapshot; idx: number[] }>();
    reqs.forEach((r, i) => {
      const environment = this.resolveEnvironment(h, r.environmentKey);
      let g = groups.get(environment);
      if (!g) {
        g = { picked: this.pick({ body: environment }, scope), idx: [] };
        groups.set(environment, g);
      }
      authorize(scope, environment, r.namespaceKey || 'default');
      g.idx.push(i);
    });
    for (const [environment, g] of groups) {
      const items = evaluateBatch(
        g.picked.snapshot,
        g.idx.map((i) => ({ ...reqs[i]!, namespaceKey: reqs[i]!.namespaceKey || 'default' })),
      );
      items.forEach((item, j) => {
        out[g.idx[j]!] = item;
        this.countItem(environment, reqs[g.idx[j]!]!.namespaceKey || 'default', item);
      });
    }
    return out;
  }

  private countItem(environment: string, ns: string, item: BatchItem): void {
    if (item.type === 'VARIANT_EVALUATION_RESPONSE_TYPE') {
      const r = item.variantResponse;
      this.metrics.evaluation(environment, ns, r.flagKey, r.reason);
      this.usage?.count(environment, ns, r.flagKey, r.variantKey, r.reason);
    } else if (item.type === 'BOOLEAN_EVALUATION_RESPONSE_TYPE') {
      const r = item.booleanResponse;
      this.metrics.evaluation(environment, ns, r.flagKey, r.reason);
      this.usage?.count(environment, ns, r.flagKey, r.enabled ? 'true' : 'false', r.reason);
    } else
      // Not counted for insights: the flag does not exist (its key is the client's to choose).
      this.metrics.evaluation(
        environment,
        ns,
        item.errorResponse.flagKey,
        item.errorResponse.reason,
      );
  }
}
