/**
 * The boundary between sync (which builds snapshots) and transports (which serve them).
 *
 * Invariants:
 * - a published snapshot is immutable; `publish` swaps the reference atomically, so a request
 *   that already picked a snapshot finishes on it;
 * - a failed build never replaces the current snapshot: it is recorded as `lastError` and the
 *   previous snapshot keeps serving;
 * - an environment with no snapshot yet is not ready (transports answer 503, never empty flags).
 */
import type { EnvironmentSnapshot } from '@switchyard/flags';

/** Where a sync error came from, shown in /ready and metrics. */
export interface SyncError {
  message: string;
  /** The revision (commit SHA) that failed to build, when known. */
  revision?: string | undefined;
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
  /** When the error happened (ms since epoch). */
  at: number;
}

/** What the registry knows about one environment. */
export interface EnvironmentState {
  readonly key: string;
  readonly snapshot: EnvironmentSnapshot | undefined;
  /** Time of the last successful sync check (ms since epoch), even when nothing changed. */
  readonly lastSyncAt: number | undefined;
  /** The last error since the last success, cleared by the next successful sync. */
  readonly lastError: SyncError | undefined;
  /** The source files the snapshot was built from (path → bytes), for mirrors and persistence. */
  readonly files?: ReadonlyMap<string, Uint8Array> | undefined;
}

/** Called after every change of an environment's snapshot. */
export type SnapshotListener = (envKey: string, snapshot: EnvironmentSnapshot) => void;

/** Holds the current snapshot of every environment this instance serves. */
export class EnvironmentRegistry {
  readonly #states = new Map<string, EnvironmentState>();
  readonly #listeners = new Set<SnapshotListener>();
  #defaultKey: string | undefined;

  constructor(envKeys: readonly string[], defaultKey?: string) {
    for (const key of envKeys)
      this.#states.set(key, {
        key,
        snapshot: undefined,
        lastSyncAt: undefined,
        lastError: undefined,
      });
    this.#defaultKey = defaultKey ?? envKeys[0];
  }

  /** Key of the environment used when a request names none. */
  get defaultKey(): string | undefined {
    return this.#defaultKey;
  }

  /** Every environment key, in configuration order. */
  keys(): string[] {
    return [...this.#states.keys()];
  }

  /** True when `key` is a configured environment. */
  has(key: string): boolean {
    return this.#states.has(key);
  }

  /** The state of one environment, or undefined when it is not configured. */
  state(key: string): EnvironmentState | undefined {
    return this.#states.get(key);
  }

  /** The current snapshot of one environment (undefined until the first good build). */
  snapshot(key: string): EnvironmentSnapshot | undefined {
    return this.#states.get(key)?.snapshot;
  }

  /** Adds an environment (instance mode: configuration changed). */
  add(key: string): void {
    if (!this.#states.has(key))
      this.#states.set(key, {
        key,
        snapshot: undefined,
        lastSyncAt: undefined,
        lastError: undefined,
      });
    this.#defaultKey ??= key;
  }

  /** Removes an environment (instance mode: configuration changed). */
  remove(key: string): void {
    this.#states.delete(key);
    if (this.#defaultKey === key) this.#defaultKey = this.#states.keys().next().value;
  }

  /** Swaps in a new good snapshot and clears the error. Listeners run only when the revision changed. */
  publish(
    key: string,
    snapshot: EnvironmentSnapshot,
    at: number,
    files?: ReadonlyMap<string, Uint8Array>,
  ): void {
    const prev = this.#states.get(key);
    if (!prev) return;
    this.#states.set(key, { key, snapshot, lastSyncAt: at, lastError: undefined, files });
    if (prev.snapshot?.revision !== snapshot.revision)
      for (const l of this.#listeners) l(key, snapshot);
  }

  /** Records a successful check that found nothing new. */
  touch(key: string, at: number): void {
    const prev = this.#states.get(key);
    if (prev) this.#states.set(key, { ...prev, lastSyncAt: at, lastError: undefined });
  }

  /** Records a failed sync or build; the current snapshot keeps serving. */
  fail(key: string, error: SyncError): void {
    const prev = this.#states.get(key);
    if (prev) this.#states.set(key, { ...prev, lastError: error });
  }

  /** Subscribes to snapshot changes; returns the unsubscribe function. */
  onChange(listener: SnapshotListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** True when every environment has a snapshot. */
  ready(): boolean {
    for (const s of this.#states.values()) if (!s.snapshot) return false;
    return this.#states.size > 0;
  }
}
