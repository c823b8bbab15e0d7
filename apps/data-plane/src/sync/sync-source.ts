/**
 * The port every flag source implements (git, local directory, upstream instance). The syncer
 * only ever asks two questions: what is the head revision now, and what files are at a revision.
 */
import type { TreeLimits } from '@switchyard/flags';
import { TreeBudget as GitTreeBudget, TreeRejectedError } from '@switchyard/git-store';

/** Files of an environment root: slash-separated path relative to the root → bytes. */
export type SourceFiles = Map<string, Uint8Array>;

/** A tree read at a revision. `revision` may be newer than asked when the source moved on (upstream). */
export interface SourceTree {
  revision: string;
  files: SourceFiles;
}

/** Where one environment's files come from. Implementations are not re-entrant: the syncer runs one call at a time. */
export interface SyncSource {
  /** Short name for logs and metrics: `git`, `dir` or `upstream`. */
  readonly kind: 'git' | 'dir' | 'upstream';
  /** A fingerprint of the configuration (not secrets); a persisted snapshot from another fingerprint is ignored. */
  readonly fingerprint: string;
  /** Resolves the current head revision (a commit SHA or content hash). Throws {@link SourceError} on failure. */
  fetchHead(signal: AbortSignal): Promise<string>;
  /** Reads every file under the environment root at `revision`. Throws {@link SourceError} or {@link InvalidTreeError}. */
  readTree(revision: string, signal: AbortSignal): Promise<SourceTree>;
  /**
   * Identity of the environment root's content at `revision` (git: the directory's tree id), when
   * cheaper to get than the tree. Equal ids mean equal files, so a commit elsewhere in the
   * repository does not rebuild (nor re-announce) this environment.
   */
  contentId?(revision: string, signal: AbortSignal): Promise<string>;
  /** Push-style change notifications (file watcher, upstream stream); returns the unsubscribe function. */
  watch?(onChange: () => void): () => void;
  /** Releases watchers, streams and sockets. */
  close?(): Promise<void>;
}

/** A source could not be reached or answered badly (a fetch failure: retried with backoff). */
export class SourceError extends Error {
  constructor(
    message: string,
    /** True for 401/403: credentials are wrong, retrying fast will not help. */
    readonly unauthorized = false,
    /** The underlying cause, for the operator log only (never reported as the environment's error). */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

/** The tree at a revision is unusable (a cap crossed, the directory missing): a build failure of that revision, not retried. */
export class InvalidTreeError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'InvalidTreeError';
  }
}

/** Tree caps: one definition in libs/flags, shared with the control plane's push and write checks. */
export { DEFAULT_TREE_LIMITS, type TreeLimits } from '@switchyard/flags/runtime';

/**
 * Accumulates sizes and throws {@link InvalidTreeError} as soon as a limit is crossed: libs/git-store's
 * budget (one definition of the limits' rules for every source), with this port's error.
 */
export class TreeBudget {
  readonly #budget: GitTreeBudget;
  constructor(limits: TreeLimits) {
    this.#budget = new GitTreeBudget(limits);
  }

  /** Accounts for one more file of `size` bytes at `path`. */
  add(path: string, size: number): void {
    try {
      this.#budget.add(path, size);
    } catch (e) {
      if (e instanceof TreeRejectedError) throw new InvalidTreeError(e.message, e.file);
      throw e;
    }
  }
}
