/**
 * Is a hosted repository the one the database knows? A hosted repository is initialised only
 * when its environment is created (or moved to a new branch); afterwards a missing directory, a
 * missing branch, or a branch that does not contain the last revision the control plane wrote or
 * accepted (`environments.hostedRevision`) is a LOSS: reported (environment status, /ready,
 * FailedPrecondition on use) and never repaired by re-initialising, which would silently serve an
 * empty environment. The fix is a restore from backup (README "Backup and restore").
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '@switchyard/flags';
import { GitExecError, GitStore } from '@switchyard/git-store';

/** What the control plane knows about a hosted environment. */
export interface HostedRecord {
  branch: string;
  hostedRevision: string | null;
}

/** The state of a hosted repository against the database. */
export type HostedState =
  { status: 'ok'; head: string } | { status: 'missing' | 'behind'; message: string };

/** True when a bare repository exists at `path`. */
export function repositoryExists(path: string): Promise<boolean> {
  return stat(join(path, 'HEAD')).then(
    () => true,
    () => false,
  );
}

/**
 * The messages go to the organisation's members (environment status, 412 answers), so they name
 * the repository by its place in the data directory (`hosted/<org id>/<environment id>.git`),
 * never by the server's absolute path.
 */
function where(path: string): string {
  return path.split('/').slice(-3).join('/');
}

/** The loss of the whole repository. */
export function repositoryMissing(path: string): Exclude<HostedState, { status: 'ok' }> {
  return {
    status: 'missing',
    message: `hosted repository ${where(path)} is missing from the data directory; an operator must restore it from backup`,
  };
}

/** Checks the repository at `path`; cheap when healthy (a stat and a ref file read). */
export async function hostedState(path: string, env: HostedRecord): Promise<HostedState> {
  if (!(await repositoryExists(path))) return repositoryMissing(path);
  const store = new GitStore(path);
  const head = await store.head(env.branch);
  if (head === null)
    return {
      status: 'missing',
      message: `branch ${env.branch} is missing in hosted repository ${where(path)}; an operator must restore it from backup`,
    };
  if (env.hostedRevision === null || head === env.hostedRevision) return { status: 'ok', head };
  if (await isAncestor(store, env.hostedRevision, head)) return { status: 'ok', head };
  return {
    status: 'behind',
    message: `hosted repository ${where(path)} is behind: branch ${env.branch} does not contain revision ${env.hostedRevision}, the last one accepted; an operator must restore it from backup`,
  };
}

/** The error every use of a lost repository answers (reads and writes alike). */
export function hostedLost(state: Exclude<HostedState, { status: 'ok' }>) {
  return errors.failedPrecondition(state.message);
}

async function isAncestor(store: GitStore, ancestor: string, head: string): Promise<boolean> {
  try {
    await store.git(['merge-base', '--is-ancestor', ancestor, head]);
    return true;
  } catch (e) {
    // Exit 1: not an ancestor; 128: the revision is not even in the repository.
    if (e instanceof GitExecError) return false;
    throw e;
  }
}
