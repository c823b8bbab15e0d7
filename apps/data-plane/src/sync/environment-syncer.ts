/**
 * The sync loop of one environment. Invariants:
 * - at most one attempt runs at a time (so at most one git fetch per environment); callers that
 *   arrive during an attempt share one follow-up attempt, which starts after theirs was requested;
 * - only a fully built snapshot is ever published; a failed fetch or build records the error and
 *   the previous snapshot keeps serving (P1, P2);
 * - a revision that failed to build is remembered and not rebuilt on every poll; the next commit is;
 * - consecutive fetch failures back off (jittered, capped), never faster than the poll interval.
 */
import type { Logger } from '../logger.js';
import type { EnvironmentRegistry } from '../state/environment-registry.js';
import { deadlineSignal } from './deadline-signal.js';
import { ParsedFileCache, buildSnapshot, type BuildFailure } from './snapshot-builder.js';
import type { SnapshotStore } from './snapshot-store.js';
import { nextDelay } from './sync-backoff.js';
import { setRevisionInfo, type SyncMetrics } from './sync-metrics.js';

// The flag-file loader, for the modules that import it on demand (the CLI's validate, status
// warnings): through this module, the one the data plane loads lazily (sync/index.ts), so the
// bundle has one lazy part holding zod and yaml. Importing the package itself dynamically would
// make esbuild put all of it in the start-up chunks.
export { formatDiagnostic, loadEnvironment } from '@switchyard/flags';
import { InvalidTreeError, SourceError, type SourceFiles, type SyncSource } from './sync-source.js';

/** Options of an {@link EnvironmentSyncer}. */
export interface EnvironmentSyncerOptions {
  key: string;
  source: SyncSource;
  registry: EnvironmentRegistry;
  store: SnapshotStore;
  metrics: SyncMetrics;
  logger: Logger;
  /** Poll period; undefined disables polling (watch-only or refresh-only sources). */
  pollIntervalMs: number | undefined;
  /** Cap of the failure backoff; default 5 × poll interval, at least 30 s. */
  maxBackoffMs?: number;
  /** Deadline of one whole attempt (head + tree); default 60 s. */
  attemptTimeoutMs?: number;
}

/** Keeps one environment of the registry in sync with its source. */
export class EnvironmentSyncer {
  readonly #o: EnvironmentSyncerOptions;
  readonly #log: Logger;
  readonly #abort = new AbortController();
  /** Revision of the published snapshot. */
  #current: string | undefined;
  /** Last head whose content is what we serve (may be newer than #current: see contentId). */
  #head: string | undefined;
  /** Content id of the published snapshot's root, when the source has one. */
  #contentId: string | undefined;
  #bad: BuildFailure | undefined;
  #lastBuildLog: string | undefined;
  #failures = 0;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #unwatch: (() => void) | undefined;
  #persisting: Promise<void> = Promise.resolve();
  #stopped = false;
  /** Files of the last build, parsed: a commit that changes one file re-parses only that file. */
  readonly #parsed = new ParsedFileCache();

  constructor(options: EnvironmentSyncerOptions) {
    this.#o = options;
    this.#log = options.logger.child({ environment: options.key, source: options.source.kind });
  }

  /** Loads the persisted snapshot, then syncs; resolves after the cache loaded or the first attempt ended. */
  async start(): Promise<void> {
    const cached = await this.#loadPersisted();
    this.#unwatch = this.#o.source.watch?.(() => void this.sync());
    const first = this.sync();
    if (!cached) await first;
  }

  /** Syncs now (coalesced with an attempt in flight); never rejects. */
  sync(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (!this.#running) {
      this.#running = this.#run().finally(() => (this.#running = undefined));
      return this.#running;
    }
    // The attempt in flight may have fetched before this call: queue exactly one more.
    this.#queued ??= this.#running.then(() => {
      this.#queued = undefined;
      return this.sync();
    });
    return this.#queued;
  }

  /** Stops polling and watching, aborts a fetch in flight, and waits for pending writes. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#unwatch?.();
    this.#abort.abort();
    await this.#running?.catch(() => undefined);
    await this.#persisting;
    await this.#o.source.close?.();
  }

  async #run(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    try {
      await this.#attempt();
    } catch (e) {
      this.#fetchFailed(e); // defensive: an unexpected throw counts as a fetch failure
    }
    if (this.#stopped || this.#o.pollIntervalMs === undefined) return;
    const delay = nextDelay(
      this.#o.pollIntervalMs,
      this.#failures,
      this.#o.maxBackoffMs ?? Math.max(30_000, 5 * this.#o.pollIntervalMs),
    );
    this.#timer = setTimeout(() => void this.sync(), delay);
    this.#timer.unref();
  }

  async #attempt(): Promise<void> {
    const deadline = deadlineSignal(this.#o.attemptTimeoutMs ?? 60_000, this.#abort.signal);
    try {
      await this.#attemptWith(deadline.signal);
    } finally {
      deadline.dispose();
    }
  }

  async #attemptWith(signal: AbortSignal): Promise<void> {
    let head: string;
    try {
      head = await this.#o.source.fetchHead(signal);
    } catch (e) {
      // A directory over a cap is rejected while hashing it: a content failure, not an outage.
      if (e instanceof InvalidTreeError)
        return this.#buildFailed({ message: e.message, file: e.file });
      return this.#fetchFailed(e);
    }
    if (head === this.#current || head === this.#head) return this.#unchanged();
    if (this.#bad && head === this.#bad.revision) return this.#stillBad(this.#bad);
    let contentId: string | undefined;
    try {
      contentId = await this.#o.source.contentId?.(head, signal);
    } catch (e) {
      return this.#fetchFailed(e);
    }
    if (contentId !== undefined && contentId === this.#contentId) {
      this.#head = head; // a commit outside this environment's directory: nothing to rebuild
      return this.#unchanged();
    }
    let tree;
    try {
      tree = await this.#o.source.readTree(head, signal);
    } catch (e) {
      if (e instanceof InvalidTreeError)
        return this.#buildFailed({
          message: `commit ${head.slice(0, 12)}: ${e.message}`,
          revision: head,
          file: e.file,
        });
      return this.#fetchFailed(e);
    }
    if (tree.revision === this.#current) return this.#unchanged();
    this.#build(tree.revision, tree.files, contentId);
  }

  #build(revision: string, files: SourceFiles, contentId: string | undefined): void {
    const started = performance.now();
    const result = buildSnapshot(files, revision, this.#parsed);
    this.#o.metrics.buildSeconds.observe([], (performance.now() - started) / 1000);
    if (!result.ok) return this.#buildFailed(result.failure);
    const now = Date.now();
    this.#recovered();
    this.#o.registry.publish(this.#o.key, result.snapshot, now, files);
    setRevisionInfo(this.#o.metrics, this.#o.key, this.#current, revision);
    this.#o.metrics.lastSuccess.set([this.#o.key], now / 1000);
    this.#log.info(
      { revision, warnings: result.warnings.length, previous: this.#current },
      'serving new revision',
    );
    this.#current = revision;
    this.#head = revision;
    this.#contentId = contentId;
    this.#bad = undefined;
    const fingerprint = this.#o.source.fingerprint;
    // Persist in order, off the hot path: the snapshot is already served.
    this.#persisting = this.#persisting
      .then(() => this.#o.store.save(this.#o.key, { revision, fingerprint, savedAt: now, files }))
      .catch((e: unknown) =>
        this.#log.warn(
          { err: e },
          'could not persist snapshot; a restart during an outage will not be warm',
        ),
      );
  }

  #unchanged(): void {
    const now = Date.now();
    this.#recovered();
    this.#o.registry.touch(this.#o.key, now);
    this.#o.metrics.lastSuccess.set([this.#o.key], now / 1000);
  }

  /** The head is a revision already known to be bad: the source works, the error stands. */
  #stillBad(bad: BuildFailure): void {
    this.#recovered();
    const state = this.#o.registry.state(this.#o.key);
    if (state?.lastError?.revision !== bad.revision)
      this.#o.registry.fail(this.#o.key, { ...bad, at: Date.now() });
  }

  #buildFailed(failure: BuildFailure): void {
    this.#recovered();
    if (failure.revision !== undefined) this.#bad = failure;
    this.#o.registry.fail(this.#o.key, { ...failure, at: Date.now() });
    this.#o.metrics.failures.inc([this.#o.key, 'build']);
    // Logged once per bad revision: the revision is remembered, so polls do not rebuild it (and a
    // tree rejected before hashing logs again only when the message changes).
    if (failure.message === this.#lastBuildLog) return;
    this.#lastBuildLog = failure.message;
    this.#log.error(
      {
        revision: failure.revision,
        file: failure.file,
        line: failure.line,
        serving: this.#current,
      },
      failure.message,
    );
  }

  #fetchFailed(e: unknown): void {
    if (this.#stopped) return;
    const message = e instanceof Error ? e.message : String(e);
    const unauthorized = e instanceof SourceError && e.unauthorized;
    const detail = e instanceof SourceError ? (e.detail ?? message) : message;
    // Bad credentials will not heal by retrying: jump straight to the longest backoff (P7).
    this.#failures = unauthorized ? Math.max(this.#failures + 1, 16) : this.#failures + 1;
    this.#o.registry.fail(this.#o.key, { message, at: Date.now() });
    this.#o.metrics.failures.inc([this.#o.key, 'fetch']);
    if (this.#failures === 1 || unauthorized)
      this.#log.warn(
        { err: detail, serving: this.#current },
        'sync fetch failed; serving the last good snapshot',
      );
    else this.#log.debug({ err: detail, failures: this.#failures }, 'sync fetch still failing');
  }

  #recovered(): void {
    if (this.#failures > 0)
      this.#log.info({ failures: this.#failures }, 'sync source reachable again');
    this.#failures = 0;
  }

  /** Publishes the persisted snapshot if there is one that still builds; true when it did. */
  async #loadPersisted(): Promise<boolean> {
    const persisted = await this.#o.store.load(this.#o.key, this.#o.source.fingerprint);
    if (!persisted) return false;
    const result = buildSnapshot(persisted.files, persisted.revision, this.#parsed);
    if (!result.ok) {
      this.#log.warn(
        { revision: persisted.revision, err: result.failure.message },
        'persisted snapshot no longer builds; ignoring it',
      );
      return false;
    }
    // lastSyncAt is when it was saved, so its age shows how stale the cache is.
    this.#o.registry.publish(this.#o.key, result.snapshot, persisted.savedAt, persisted.files);
    setRevisionInfo(this.#o.metrics, this.#o.key, undefined, persisted.revision);
    this.#current = persisted.revision;
    this.#log.info(
      { revision: persisted.revision, savedAt: new Date(persisted.savedAt).toISOString() },
      'serving persisted snapshot until the source answers',
    );
    return true;
  }
}
