/**
 * Local bare mirror of an external remote. Reads fetch the branch into `refs/heads/<branch>`
 * (forced: the remote is the source of truth); writes commit locally on the fetched head and push
 * without force, so the remote refuses a non-fast-forward and a concurrent external push surfaces
 * as a Conflict instead of being overwritten. The URL is re-validated, resolved and pinned before
 * every connection; credentials travel in environment config, never in argv or the URL.
 */
import { errors } from '@switchyard/flags';
import { GitExecError } from './git-exec.js';
import type { GitStore } from './git-store.js';
import { isValidBranch } from './path-rules.js';
import { pinRemote, type HostResolver, type RemotePolicy } from './remote-policy.js';

/** How to reach an external remote. */
export interface RemoteAccess {
  url: string;
  /** Basic-auth user name (GitHub accepts anything with a token; GitLab uses `oauth2`). */
  username?: string | null | undefined;
  /** Token or password. */
  secret?: string | null | undefined;
  policy: RemotePolicy;
  resolve?: HostResolver;
  timeoutMs?: number;
}

async function connectConfig(remote: RemoteAccess): Promise<Record<string, string>> {
  const pin = await pinRemote(remote.url, remote.policy, remote.resolve);
  const config: Record<string, string> = {};
  if (pin !== undefined) config['http.curloptResolve'] = pin;
  if (remote.secret) {
    const basic = Buffer.from(`${remote.username ?? 'x-access-token'}:${remote.secret}`).toString(
      'base64',
    );
    config['http.extraHeader'] = `Authorization: Basic ${basic}`;
  }
  return config;
}

/** Fetches `branch` from the remote into the mirror; returns its head (null when the branch does not exist). */
export async function fetchBranch(
  store: GitStore,
  remote: RemoteAccess,
  branch: string,
): Promise<string | null> {
  if (!isValidBranch(branch))
    throw errors.invalidArgument('invalid branch name', [
      { path: 'branch', message: 'not a valid branch name' },
    ]);
  const config = await connectConfig(remote);
  const heads = (
    await store
      .git(['ls-remote', '--heads', '--', remote.url, `refs/heads/${branch}`], {
        config,
        timeoutMs: remote.timeoutMs ?? 30_000,
      })
      .catch(unreachable)
  ).toString();
  if (heads.trim() === '') return null;
  await store
    .git(
      [
        'fetch',
        '--quiet',
        '--no-tags',
        '--no-write-fetch-head',
        '--',
        remote.url,
        `+refs/heads/${branch}:refs/heads/${branch}`,
      ],
      { config, timeoutMs: remote.timeoutMs ?? 60_000 },
    )
    .catch(unreachable);
  return store.head(branch);
}

/** Pushes `commit` to the remote branch without force; Conflict when the remote moved. */
export async function pushBranch(
  store: GitStore,
  remote: RemoteAccess,
  branch: string,
  commit: string,
): Promise<void> {
  if (!isValidBranch(branch))
    throw errors.invalidArgument('invalid branch name', [
      { path: 'branch', message: 'not a valid branch name' },
    ]);
  const config = await connectConfig(remote);
  try {
    await store.git(
      ['push', '--porcelain', '--no-verify', '--', remote.url, `${commit}:refs/heads/${branch}`],
      { config, timeoutMs: remote.timeoutMs ?? 60_000 },
    );
  } catch (e) {
    if (
      e instanceof GitExecError &&
      /\[rejected\]|\[remote rejected\]/u.test(e.stdout.toString())
    ) {
      throw errors.conflict(
        'the remote branch has moved on (someone pushed); reload and apply your change again',
      );
    }
    unreachable(e);
  }
}

function unreachable(e: unknown): never {
  if (e instanceof GitExecError) throw errors.unavailable(`git remote unavailable: ${e.message}`);
  throw e;
}
