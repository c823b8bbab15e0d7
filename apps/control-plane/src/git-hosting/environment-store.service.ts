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
import { EnvironmentEvents } from './environment-events.js';
import { initialLayout } from './initial-layout.js';

/** An environment's storage, ready to read and write. */
export interface OpenedEnvironment {
  env: Environment;
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
}

/**
 * Opens environments on hosted bare repositories (`<dataDir>/hosted/<orgId>/<envId>.git`, created
 * and initialised on first use) or on local mirrors of external remotes
 * (`<dataDir>/mirrors/<orgId>/<repoId>.git`, fetched before every use, pushed after every write).
 */
@Injectable()
export class EnvironmentStoreService {
  private readonly hosted = new Map<string, Promise<GitStore>>();
  private readonly writing = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly repositories: RepositoriesService,
    private readonly events: EnvironmentEvents,
  ) {}

  /** Path of an environment's hosted bare repository. */
  hostedPath(orgId: string, environmentId: string): string {
    return join(this.config.git.dataDir, 'hosted', orgId, `${environmentId}.git`);
  }

  /** Finds the environment by key in the org (NotFound otherwise) and opens its storage. */
  async open(orgId: string, envKey: string, system?: Author): Promise<OpenedEnvironment> {
    const env = await this.db.environment.findUnique({
      where: { orgId_key: { orgId, key: envKey } },
    });
    if (!env) throw errors.notFound('environment not found');
    return this.openEnvironment(env, system);
  }

  /** Opens a known environment row; initialises an empty branch with the default layout. */
  async openEnvironment(
    env: Environment,
    system: Author = { name: 'Switchyard', email: 'noreply@switchyard.invalid' },
  ): Promise<OpenedEnvironment> {
    const directory = normalizeDirectory(env.directory);
    if (directory === undefined)
      throw errors.failedPrecondition('the environment directory is not a safe relative path');
    if (env.repositoryId === null) {
      const store = await this.hostedStore(env, directory, system);
      const head = await store.head(env.branch);
      if (head === null) throw errors.internal('hosted branch missing after initialisation');
      return { env, store, branch: env.branch, directory, head };
    }
    const repo = await this.db.gitRepository.findFirst({
      where: { id: env.repositoryId, orgId: env.orgId },
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
    const store = await GitStore.open(
      join(this.config.git.dataDir, 'mirrors', env.orgId, `${repo.id}.git`),
    );
    let head = await fetchBranch(store, remote, env.branch);
    if (head === null) {
      head = await this.initialise(store, env, directory, system);
      await pushBranch(store, remote, env.branch, head);
    }
    return { env, store, branch: env.branch, directory, head, remote };
  }

  /**
   * Opens (creating and initialising on first use) an environment's hosted repository. Concurrent
   * first requests share one initialisation: `git init` and the first commit must not race.
   */
  private hostedStore(env: Environment, directory: string, system: Author): Promise<GitStore> {
    const path = this.hostedPath(env.orgId, env.id);
    const key = `${path}#${env.branch}`;
    const known = this.hosted.get(key);
    if (known) return known;
    const opening = (async () => {
      const store = await GitStore.open(path);
      if ((await store.head(env.branch)) === null) {
        await this.initialise(store, env, directory, system);
        await store.setDefaultBranch(env.branch);
      }
      return store;
    })();
    this.hosted.set(key, opening);
    opening.catch(() => this.hosted.delete(key));
    return opening;
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

  /** Writes one commit (compare-and-swap on `base`), pushes it, and announces the change. */
  async write(opened: OpenedEnvironment, request: WriteRequest): Promise<string> {
    const branch = request.branch ?? opened.branch;
    const revision = await opened.store.commit({
      branch,
      base: request.base,
      changes: request.changes,
      author: request.author,
      message: request.message,
      ...(request.tree ? { tree: request.tree } : {}),
      ...(request.parents ? { parents: request.parents } : {}),
    });
    await this.publish(opened, branch, revision, request.base);
    return revision;
  }

  /** Pushes a commit already on the local branch (external remotes) and announces it. */
  async publish(
    opened: OpenedEnvironment,
    branch: string,
    revision: string,
    previous: string,
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
      this.events.environmentChanged(opened.env.orgId, opened.env.id, revision);
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
