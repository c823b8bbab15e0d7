/**
 * Resource limits for loading feature files from untrusted repositories. Every limit is checked
 * before the expensive step it protects (sizes before decoding, depth before composing objects).
 */

/** Caps applied while loading an environment. */
export interface LoadLimits {
  /** Largest single file, in bytes (UTF-8). */
  maxFileBytes: number;
  /** Largest sum of all discovered feature files, in bytes. */
  maxEnvironmentBytes: number;
  /** Most feature files one environment may contain. */
  maxFiles: number;
  /** Most alias expansions per YAML document (yaml's `maxAliasCount`; stops billion laughs). */
  maxAliasCount: number;
  /** Deepest nesting of collections in one document. */
  maxDepth: number;
  /** Most documents (YAML stream entries or JSON values) in one file. */
  maxDocumentsPerFile: number;
}

/** Defaults: generous for real flag repositories, small enough to keep a data plane alive. */
export const DEFAULT_LIMITS: LoadLimits = Object.freeze({
  maxFileBytes: 10 * 1024 * 1024,
  maxEnvironmentBytes: 50 * 1024 * 1024,
  maxFiles: 5000,
  maxAliasCount: 100,
  maxDepth: 64,
  maxDocumentsPerFile: 1000,
});

/**
 * Caps on an environment root's whole tree (every regular file, not only feature files), checked
 * on the listed sizes before any content is read. The data plane's sync applies them to what it
 * serves and the control plane's hosted repositories to what they accept (pushes and API writes):
 * one definition, so nothing is accepted that instances would refuse.
 */
export interface TreeLimits {
  /** Largest single file, in bytes. */
  maxFileBytes: number;
  /** Largest sum of file sizes under the root. */
  maxTotalBytes: number;
  /** Most files under the root (all files, not just feature files). */
  maxFiles: number;
}

/** Tree caps derived from the loader's limits (10 MiB/file, 50 MiB/environment); the count covers non-feature files too. */
export const DEFAULT_TREE_LIMITS: TreeLimits = Object.freeze({
  maxFileBytes: DEFAULT_LIMITS.maxFileBytes,
  maxTotalBytes: DEFAULT_LIMITS.maxEnvironmentBytes,
  maxFiles: 20_000,
});

/** Fills unspecified limits from DEFAULT_LIMITS. */
export function resolveLimits(limits?: Partial<LoadLimits>): LoadLimits {
  return { ...DEFAULT_LIMITS, ...(limits ?? {}) };
}

/** UTF-8 byte length of text or bytes, without allocating an encoded copy. */
export function byteLength(content: Uint8Array | string): number {
  if (typeof content !== 'string') return content.length;
  let n = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < content.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
