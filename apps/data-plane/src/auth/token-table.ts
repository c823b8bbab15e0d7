/**
 * Client-token authentication. Tokens are kept only as SHA-256 hashes in a Map (constant work per
 * request); the table is swapped as a whole at runtime (instance mode pushes token changes), so
 * a request sees either the old or the new table, never a mix.
 */
import { createHash } from 'node:crypto';
import { errors } from '@switchyard/flags/runtime';
import type { TokenConfig } from '../config/instance-config.js';

/**
 * Usage of one control-plane token, written on the hot path at most once per reporting
 * interval: the first successful authentication after a drain stores the time, later ones only
 * read the field. No allocation per request.
 */
export class TokenUsage {
  /** Unix ms of the first use since the last drain; 0 when unused since. */
  pendingMs = 0;
  constructor(readonly tokenId: string) {}
}

/** A token's use, as reported to the control plane. */
export interface TokenUse {
  tokenId: string;
  lastUsedAtMs: number;
}

/** What an authenticated token may read. */
export interface TokenScope {
  readonly name: string;
  /** Usage slot of tokens with a control-plane id (instance mode). */
  readonly usage?: TokenUsage | undefined;
  /** Environment keys, or undefined for all. */
  readonly environments: ReadonlySet<string> | undefined;
  /** Namespace keys, or undefined for all. */
  readonly namespaces: ReadonlySet<string> | undefined;
}

/** The principal of a request when auth is off. */
export const ANONYMOUS: TokenScope = {
  name: 'anonymous',
  environments: undefined,
  namespaces: undefined,
};

/** SHA-256 hex of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The in-memory token table. */
export class TokenTable {
  #byHash = new Map<string, TokenScope>();
  /**
   * Recently seen `Authorization` values → scope, so a hot client costs one Map lookup (no
   * parsing, no SHA-256). Only valid ones are kept; cleared on replace.
   */
  #seen = new Map<string, TokenScope>();
  #required: boolean;
  /** Usage slots by token id; kept across table replacements so pending uses are not lost. */
  #usage = new Map<string, TokenUsage>();

  constructor(required: boolean, tokens: readonly TokenConfig[]) {
    this.#required = required;
    this.replace(tokens);
  }

  /** Whether requests must carry a valid token. */
  get required(): boolean {
    return this.#required;
  }

  /** Replaces every token at once. */
  replace(tokens: readonly TokenConfig[], required = this.#required): void {
    const next = new Map<string, TokenScope>();
    const usage = new Map<string, TokenUsage>();
    tokens.forEach((t, i) => {
      const hash = (t.sha256 ?? hashToken(t.token ?? '')).toLowerCase();
      const slot = t.id ? (this.#usage.get(t.id) ?? new TokenUsage(t.id)) : undefined;
      if (slot) usage.set(slot.tokenId, slot);
      next.set(hash, {
        name: t.name ?? `token-${i}`,
        usage: slot,
        environments: t.environments === '*' ? undefined : new Set(t.environments),
        namespaces: t.namespaces ? new Set(t.namespaces) : undefined,
      });
    });
    this.#byHash = next;
    this.#usage = usage;
    this.#seen = new Map();
    this.#required = required;
  }

  /**
   * Authenticates an `Authorization` header value (`Bearer <token>`). Returns the scope, or
   * ANONYMOUS when auth is off and no token was sent; throws Unauthenticated otherwise.
   */
  authenticate(header: string | undefined): TokenScope {
    if (!header) {
      if (this.#required) throw errors.unauthenticated();
      return ANONYMOUS;
    }
    let scope = this.#seen.get(header);
    if (scope === undefined) {
      const space = header.indexOf(' ');
      const scheme = space > 0 ? header.slice(0, space).toLowerCase() : '';
      const token = space > 0 ? header.slice(space + 1).trim() : '';
      scope = scheme === 'bearer' && token ? this.#lookup(header, token) : undefined;
    }
    if (scope) {
      const u = scope.usage;
      if (u !== undefined && u.pendingMs === 0) u.pendingMs = Date.now();
      return scope;
    }
    if (this.#required) throw errors.unauthenticated();
    return ANONYMOUS;
  }

  /** Tokens used since the previous drain (each once), and resets them. */
  drainUsage(): TokenUse[] {
    const out: TokenUse[] = [];
    for (const u of this.#usage.values()) {
      if (u.pendingMs === 0) continue;
      out.push({ tokenId: u.tokenId, lastUsedAtMs: u.pendingMs });
      u.pendingMs = 0;
    }
    return out;
  }

  /** Puts back uses whose report failed (a newer use since then wins). */
  restoreUsage(uses: readonly TokenUse[]): void {
    for (const { tokenId, lastUsedAtMs } of uses) {
      const u = this.#usage.get(tokenId);
      if (u && u.pendingMs === 0) u.pendingMs = lastUsedAtMs;
    }
  }

  #lookup(header: string, token: string): TokenScope | undefined {
    const scope = this.#byHash.get(hashToken(token));
    // Only valid tokens are remembered (invalid ones cannot grow the map); bounded anyway.
    if (scope) {
      if (this.#seen.size >= 10_000) this.#seen.clear();
      this.#seen.set(header, scope);
    }
    return scope;
  }
}

/** Throws PermissionDenied when `scope` may not read `environment` (and `namespace`, if given). */
export function authorize(scope: TokenScope, environment: string, namespace?: string): void {
  if (scope.environments && !scope.environments.has(environment))
    throw errors.permissionDenied(`token may not access environment "${environment}"`);
  if (namespace !== undefined && scope.namespaces && !scope.namespaces.has(namespace))
    throw errors.permissionDenied(`token may not access namespace "${namespace}"`);
}
