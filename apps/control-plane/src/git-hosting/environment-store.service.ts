import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { Database, Environment } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import {
  fetchBranch,
  GitStore,
  normalizeDirectory,
  pushBranch,
  staleConflict,
  type Author,
  type FileChanges,
  type RemoteAccess,
} from '@switchyard/git-store';
import type { AppConfig } from '../config/config.js';
import { CONFIG, DB } from '../common/tokens.js';
import { RepositoriesService } from '../repositories/repositories.service.js';
import { ChangeEvents } from '../events/change-events.js';
import {
  hostedLost,
  hostedState,
  repositoryExists,
  repositoryMissing,
  type HostedState,
} from './hosted-integrity.js';
import { initialLayout } from './initial-layout.js';
import { checkTree, treeRejected } from './tree-check.js';
import { resetApprovals } from './proposal-meta.js';

const PROPOSAL_BRANCH = /^switchyard\/proposals\/([0-9a-f-]{36})$/u;

/** An environment's storage, ready to read and write. */
export interface OpenedEnvironment {
  env: Environment;
  /** The organisation's slug (names it in change events and hosted URLs). */
  orgSlug: string;
  store: GitStore;
  branch: string;
  /** Environment root inside the repository ('' = repository root). */
  directory: string;
  /** Head of the branch after the fetch (hosted: the branch itself). */
  head: string;
  /** Set for external repositories. */
  remote?: RemoteAccess;
}

/** One commit to write on an environment (or one of its proposal branches). */
export interface WriteRequest {
  base: string;
  changes: FileChanges;
  author: Author;
  message: string;
  /** Defaults to the environment's branch. */
  branch?: string;
  /** Merges: the prepared tree and the extra parent. */
  tree?: string;
  parents?: readonly string[];
  /**
   * The caller loaded the whole resulting environment with libs/flags (the flag API always does):
   * only the tree limits, which the loader does not see (non-feature files), are checked here.
   */
  contentChecked?: boolean;
}

/**
 * Opens environments on hosted bare repositories (`<dataDir>/hosted/<orgId>/<envId>.git`, created
 * and initialised only when the environment is created or moved to a new branch, never on use: a
 * missing or older repository is reported, see hosted-integrity.ts) or on local mirrors of
 * external remotes (`<dataDir>/mirrors/<orgId>/<repoId>.git`, fetched before every use, pushed
 * after every write). Every write is checked like instances check what they serve (tree-check.ts).
 */
@Injectable()
export class EnvironmentStoreService {
  private readonly hosted = new Map<string, Promise<string>>();
  private readonly writing = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly repositories: RepositoriesService,
    private readonly events: ChangeEvents,
  ) {}

  /** Path of an environment's hosted bare repository. */
  hostedPath(orgId: string, environmentId: string): string {
    return join(this.config.git.dataDir, 'hosted', orgId, `${environmentId}.git`);
  }

  /** Finds the environment by key in the org (NotFound otherwise) and opens its storage. */
  async open(orgId: string, envKey: string, system?: Author): Promise<OpenedEnvironment> {
    const found = await this.db.environment.findUnique({
      where: { orgId_key: { orgId, key: envKey } },
      include: { org: { select: { slug: true } } },
    });
    if (!found) throw errors.notFound('environment not found');
    const { org, ...env } = found;
    return this.openEnvironment(env, org.slug, system);
  }

  /**
   * The environment's local repository as it is, for cheap reads (status, commit details): the
   * hosted repository, or the mirror of the external remote without fetching it. Null when it
   * does not exist (a mirror no request has needed yet, a lost hosted repository).
   */
  async localStore(env: Environment): Promise<GitStore | null> {
    const path =
      env.repositoryId === null
        ? this.hostedPath(env.orgId, env.id)
        : this.mirrorPath(env.orgId, env.repositoryId);
    return (await repositoryExists(path)) ? new GitStore(path) : null;
  }

  /** The state of a hosted environment's repository against the database (null: external). */
  async storageState(env: Environment): Promise<HostedState | null> {
    if (env.repositoryId !== null) return null;
    return hostedState(this.hostedPath(env.orgId, env.id), env);
  }

  /** How many hosted environments' repositories are missing or behind (for /ready). */
  async lostHostedCount(): Promise<number> {
    const hosted = await this.db.environment.findMany({
      where: { repositoryId: null },
      select: { id: true, orgId: true, branch: true, hostedRevision: true },
    });
    let lost = 0;
    for (const env of hosted)
      if ((await hostedState(this.hostedPath(env.orgId, env.id), env)).status !== 'ok') lost += 1;
    return lost;
  }

  /**
   * Creates a hosted environment's repository and branch with the default layout (environment
   * created, or moved to a branch the repository does not have yet) and records the revision.
   * A repository the database already knows about and that is missing is never re-created here.
   */
  async initialiseHosted(
    env: Environment,
    mayCreateRepository: boolean,
    system: Author = { name: 'Switchyard', email: 'noreply@switchyard.invalid' },
  ): Promise<string> {
    const directory = normalizeDirectory(env.directory);
    if (directory === undefined)
      throw errors.failedPrecondition('the environment directory is not a safe relative path');
    const path = this.hostedPath(env.orgId, env.id);
    if (!mayCreateRepository && !(await repositoryExists(path)))
      throw hostedLost(repositoryMissing(path));
    const head = await this.hostedStore(env, directory, system);
    await this.recordHosted(env.id, head);
    return head;
  }

  /** Opens a known environment row of the organisation `orgSlug`. */
  async openEnvironment(
    env: Environment,
    orgSlug: string,
    system: Author = { name: 'Switchyard', email: 'noreply@switchyard.invalid' },
  ): Promise<OpenedEnvironment> {
    const directory = normalizeDirectory(env.directory);
    if (directory === undefined)
      throw errors.failedPrecondition('the environment directory is not a safe relative path');
    if (env.repositoryId === null) {
      const path = this.hostedPath(env.orgId, env.id);
      const state = await hostedState(path, env);
      if (state.status !== 'ok') throw hostedLost(state);
      return {
        env,
        orgSlug,
        store: new GitStore(path),
        branch: env.branch,
        directory,
        head: state.head,
      };
    }
    const { store, remote } = await this.mirror(env, env.repositoryId);
    let head = await fetchBranch(store, remote, env.branch);
    if (head === null) {
      head = await this.initialise(store, env, directory, system);
      await pushBranch(store, remote, env.branch, head);
    }
    return { env, orgSlug, store, branch: env.branch, directory, head, remote };
  }

  /**
   * Fetches an external environment's branch into its mirror and nothing else (no initialisation
   * of a missing branch: status reads must never write). Hosted environments: nothing to do.
   */
  async fetchMirror(env: Environment): Promise<void> {
    if (env.repositoryId === null) return;
    const { store, remote } = await this.mirror(env, env.repositoryId);
    await fetchBranch(store, remote, env.branch);
  }

  /** The mirror of an external repository and how to reach its remote. */
  private async mirror(
    env: Environment,
    repositoryId: string,
  ): Promise<{ store: GitStore; remote: RemoteAccess }> {
    const repo = await this.db.gitRepository.findFirst({
      where: { id: repositoryId, orgId: env.orgId },
    });
    if (!repo)
      throw errors.failedPrecondition('the environment names a repository that no longer exists');
    const secret = await this.repositories.readSecret(env.orgId, repo.id);
    const remote: RemoteAccess = {
      url: repo.url,
      username: secret?.username,
      secret: secret?.secret,
      policy: {
        allowedOrigins: this.config.outbound.allowedOrigins,
        allowHttp: this.config.git.allowHttp,
      },
    };
    const store = await GitStore.open(this.mirrorPath(env.orgId, repo.id));
    return { store, remote };
  }

  private mirrorPath(orgId: string, repositoryId: string): string {
    return join(this.config.git.dataDir, 'mirrors', orgId, `${repositoryId}.git`);
  }

  /**
   * Creates an environment's hosted repository and branch. Concurrent requests share one
   * initialisation: `git init` and the first commit must not race.
   */
  private hostedStore(env: Environment, directory: string, system: Author): Promise<string> {
    const path = this.hostedPath(env.orgId, env.id);
    const key = `${path}#${env.branch}`;
    const known = this.hosted.get(key);
    if (known) return known;
    const opening = (async () => {
      const store = await GitStore.open(path);
      const head =
        (await store.head(env.branch)) ?? (await this.initialise(store, env, directory, system));
      await store.setDefaultBranch(env.branch);
      return head;
    })();
    this.hosted.set(key, opening);
    void opening.finally(() => this.hosted.delete(key)).catch(() => undefined);
    return opening;
  }

  /** The last revision written or accepted on a hosted environment's branch (ref first, then this). */
  async recordHosted(environmentId: string, revision: string): Promise<void> {
    // Raw: the environment's settings did not change, so updatedAt must not move.
    await this.db
      .$executeRaw`UPDATE "environments" SET "hostedRevision" = ${revision} WHERE "id" = ${environmentId}`;
  }

  /**
   * Runs `fn` while no other write of this process touches the same repository. Correctness does
   * not depend on it (update-ref compare-and-swap does, also across replicas); it keeps a burst of
   * editors cheap: the loser of a race is refused at the head check instead of after building a commit.
   */
  async serialised<T>(opened: OpenedEnvironment, fn: () => Promise<T>): Promise<T> {
    const key = opened.store.dir;
    const previous = this.writing.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.writing.set(key, settled);
    void settled.then(() => {
      if (this.writing.get(key) === settled) this.writing.delete(key);
    });
    return run;
  }

  /**
   * Writes one commit (compare-and-swap on `base`), pushes it, and announces the change. The
   * resulting tree passes the instances' own check first (sizes, count, load, compile), so a
   * revision this returns is one instances serve; otherwise InvalidArgument and nothing is written.
   */
  async write(opened: OpenedEnvironment, request: WriteRequest): Promise<string> {
    const branch = request.branch ?? opened.branch;
    const store = opened.store;
    const tree = request.tree ?? (await store.buildTree(request.base, request.changes));
    const problems = await checkTree(store, tree, opened.directory, {
      content: request.contentChecked !== true,
    });
    if (problems.length > 0) throw treeRejected(problems);
    const revision = await store.commit({
      branch,
      base: request.base,
      changes: request.changes,
      author: request.author,
      message: request.message,
      tree,
      ...(request.parents ? { parents: request.parents } : {}),
    });
    if (!opened.remote && branch === opened.branch)
      await this.recordHosted(opened.env.id, revision);
    await this.publish(opened, branch, revision, request.base, {
      author: request.author,
      // Notices show the subject line; trailers (Flag:, Switchyard-Environment:) are for tools.
      summary: request.message.split('\n', 1)[0]!,
    });
    // A new change on a proposal withdraws approvals given to an earlier revision of it.
    const proposal = PROPOSAL_BRANCH.exec(branch)?.[1];
    if (proposal !== undefined) await resetApprovals(store, proposal, revision);
    return revision;
  }

  /** Pushes a commit already on the local branch (external remotes) and announces it once. */
  async publish(
    opened: OpenedEnvironment,
    branch: string,
    revision: string,
    previous: string,
    commit: { author: Author; summary: string },
  ): Promise<void> {
    if (opened.remote) {
      try {
        await pushBranch(opened.store, opened.remote, branch, revision);
      } catch (e) {
        // Put the mirror back where the remote is; the caller's edit was not accepted.
        await opened.store.moveRef(branch, previous, revision).catch(() => undefined);
        const current = await fetchBranch(opened.store, opened.remote, branch).catch(() => null);
        if (errors.conflict('').code === (e as { code?: string }).code)
          throw staleConflict(current);
        throw e;
      }
    }
    if (branch === opened.branch)
      this.events.environmentChanged({
        orgId: opened.env.orgId,
        orgSlug: opened.orgSlug,
        envKey: opened.env.key,
        revision,
        previous,
        author: { name: commit.author.name, email: commit.author.email },
        summary: commit.summary,
      });
  }

  private async initialise(
    store: GitStore,
    env: Environment,
    directory: string,
    author: Author,
  ): Promise<string> {
    try {
      return await store.commit({
        branch: env.branch,
        base: null,
        changes: initialLayout(directory),
        author,
        message: `Initialise environment ${env.key}`,
      });
    } catch (e) {
      // Another request initialised it first.
      const head = await store.head(env.branch);
      if (head) return head;
      throw e;
    }
  }
}
