/**
 * The status block of an environment: what the organisation's instance last reported (revision
 * served, last sync, last error with commit/file/line) joined with commit details read from the
 * control plane's local copy of the repository (the hosted repository, or the external remote's
 * mirror as of its last fetch). Reads are local and cheap: no clone and no fetch on the request
 * path. A commit the mirror lacks yet (the instance fetched it first) is shown by sha alone and a
 * throttled background fetch brings it in for the next poll.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Environment } from '@switchyard/db';
import { GitExecError, type GitStore } from '@switchyard/git-store';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { EnvironmentStoreService } from '../git-hosting/environment-store.service.js';
import { readObservedState, type StoredEnvironmentState } from '../instances/observed-state.js';
import type { CommitSummary, EnvironmentStatus } from './environments.dto.js';

/** The instance fields the status reads. */
export interface InstanceReport {
  observedState: unknown;
  reportedAt: Date | null;
}

/** Commit details are immutable: cache them (bounded) by repository and sha. */
const MAX_CACHED = 2_000;
/** At most one background mirror fetch per environment in this window. */
const REFRESH_EVERY_MS = 10_000;
const SHA = /^[0-9a-f]{7,64}$/u;
const FIELD = '\x1f';

@Injectable()
export class EnvironmentStatusService {
  private readonly commits = new Map<string, CommitSummary>();
  private readonly ancestry = new Map<string, boolean>();
  private readonly refreshed = new Map<string, number>();
  /** Commits not found locally, until when not to look again (a fetch may bring them). */
  private readonly missing = new Map<string, number>();

  constructor(
    private readonly stores: EnvironmentStoreService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * The status of `env`. `hostedHead` is the hosted branch head the caller already read (storage
   * check), undefined to read it here.
   */
  async status(
    env: Environment,
    instance: InstanceReport | null,
    hostedHead?: string | null,
  ): Promise<EnvironmentStatus> {
    const reported = readObservedState(instance?.observedState)?.environments.find(
      (e) => e.key === env.key,
    );
    const store = await this.stores.localStore(env).catch(() => null);
    const head =
      hostedHead !== undefined && env.repositoryId === null
        ? hostedHead
        : await (store?.head(env.branch) ?? Promise.resolve(null)).catch(() => null);
    const served = reported?.revision ?? null;
    const [revision, errorCommit] = await Promise.all([
      served ? this.commit(env, store, served) : null,
      reported?.error?.revision ? this.commit(env, store, reported.error.revision) : null,
    ]);
    const error = reported?.error ?? null;
    return {
      sync: await this.sync(store, reported, head),
      revision,
      head,
      lastSyncAt: reported?.lastSyncAt ?? null,
      reportedAt: instance?.reportedAt?.toISOString() ?? null,
      error: error
        ? {
            message: error.message,
            commit: errorCommit,
            file: error.file,
            line: error.line,
            column: error.column,
            at: error.at,
          }
        : null,
      warnings: (reported?.warnings ?? []).map((w) => ({
        message: w.message,
        file: w.file,
        line: w.line,
        column: w.column,
      })),
    };
  }

  private async sync(
    store: GitStore | null,
    reported: StoredEnvironmentState | undefined,
    head: string | null,
  ): Promise<EnvironmentStatus['sync']> {
    if (reported?.error) return 'failing';
    if (!reported?.revision) return 'never_synced';
    if (head === null || store === null || reported.revision === head) return 'in_sync';
    // Behind only when the branch head descends from what is served; a served commit the local
    // copy lacks (or one newer than a stale mirror) is the instance being ahead of us.
    return (await this.isAncestor(store, reported.revision, head)) ? 'syncing' : 'in_sync';
  }

  private async isAncestor(store: GitStore, older: string, newer: string): Promise<boolean> {
    const key = `${store.dir}\0${older}\0${newer}`;
    const known = this.ancestry.get(key);
    if (known !== undefined) return known;
    try {
      await store.git(['merge-base', '--is-ancestor', older, newer]);
      this.remember(this.ancestry, key, true);
      return true;
    } catch (e) {
      // Exit 1: both exist and `older` is not an ancestor (immutable). Otherwise one is missing.
      if (e instanceof GitExecError && e.exitCode === 1) this.remember(this.ancestry, key, false);
      return false;
    }
  }

  /** Commit details of `sha` (a full id, or the prefix older instances report). */
  private async commit(
    env: Environment,
    store: GitStore | null,
    sha: string,
  ): Promise<CommitSummary> {
    const bare: CommitSummary = { sha, author: null, time: null, message: null };
    if (!SHA.test(sha)) return bare;
    const key = `${store?.dir}\0${sha}`;
    const cached = this.commits.get(key);
    if (cached) return cached;
    if (store === null || (this.missing.get(key) ?? 0) > Date.now()) {
      this.refresh(env);
      return bare;
    }
    try {
      const raw = (
        await store.git([
          'log',
          '-1',
          `--format=%H${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s`,
          sha,
          '--',
        ])
      ).toString('utf8');
      const [full = sha, name = '', email = '', time = '', subject = ''] = raw
        .trimEnd()
        .split(FIELD);
      const found: CommitSummary = { sha: full, author: { name, email }, time, message: subject };
      this.remember(this.commits, key, found);
      return found;
    } catch {
      // Hosted: a commit the repository lacks (a lost repository) stays missing; external: the
      // background fetch below may bring it. Either way, no git process per poll meanwhile.
      this.remember(this.missing, key, Date.now() + REFRESH_EVERY_MS);
      this.refresh(env);
      return bare;
    }
  }

  /** Fetches an external environment's mirror in the background (throttled); hosted: nothing to fetch. */
  private refresh(env: Environment): void {
    if (env.repositoryId === null) return;
    const last = this.refreshed.get(env.id) ?? 0;
    if (Date.now() - last < REFRESH_EVERY_MS) return;
    this.refreshed.set(env.id, Date.now());
    void this.stores
      .fetchMirror(env)
      // Whatever was missing may be there now: look again on the next read.
      .then(() => this.missing.clear())
      .catch((e: unknown) =>
        this.logger.debug({ err: e, environment: env.id }, 'mirror refresh for status failed'),
      );
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    if (map.size >= MAX_CACHED) map.delete(map.keys().next().value!);
    map.set(key, value);
  }
}
