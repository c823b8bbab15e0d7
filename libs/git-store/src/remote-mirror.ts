/**
 * Local bare mirror of an external remote. Reads fetch the branch into `refs/heads/<branch>`
 * (forced: the remote is the source of truth); writes commit locally on the fetched head and push
 * without force, so the remote refuses a non-fast-forward and a concurrent external push surfaces
 * as a Conflict instead of being overwritten. The URL is re-validated, resolved and pinned before
 * every connection; credentials travel in environment config, never in argv or the URL.
 */
import { dirname } from 'node:path';
import { errors, SwitchyardError } from '@switchyard/flags';
import { GitExecError, runGit } from './git-exec.js';
import { policyFetch } from './policy-fetch.js';
import type { GitStore } from './git-store.js';
import { isValidBranch } from './path-rules.js';
import { pinRemote, type PinnedRemote, type RemotePolicy } from './remote-policy.js';

/**
 * What a member sees when a remote cannot be used. One message for every network failure (closed
 * port, silent port, something that is not a git server, TLS failure) so the answer can never be
 * used to scan ports; the real cause goes to the operator log through `meta.detail`.
 */
export const REMOTE_UNAVAILABLE_MESSAGE =
  'the git remote could not be reached or did not answer as a git server; check the URL and credentials';

/** How to reach an external remote. */
export interface RemoteAccess {
  url: string;
  /** Basic-auth user name (GitHub accepts anything with a token; GitLab uses `oauth2`). */
  username?: string | null | undefined;
  /** Token or password. */
  secret?: string | null | undefined;
  policy: RemotePolicy;
  timeoutMs?: number;
}

/** Checks and pins the remote, then adds the credential header. */
async function connect(remote: RemoteAccess): Promise<PinnedRemote> {
  const pin = await pinRemote(remote.url, remote.policy);
  const config = { ...pin.config };
  if (remote.secret) {
    const basic = Buffer.from(`${remote.username ?? 'x-access-token'}:${remote.secret}`).toString(
      'base64',
    );
    config['http.extraHeader'] = `Authorization: Basic ${basic}`;
  }
  return { ...pin, config };
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
  const { url, config, env } = await connect(remote);
  const heads = (
    await store
      .git(['ls-remote', '--heads', '--', url, `refs/heads/${branch}`], {
        config,
        env,
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
        url,
        `+refs/heads/${branch}:refs/heads/${branch}`,
      ],
      { config, env, timeoutMs: remote.timeoutMs ?? 60_000 },
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
  const { url, config, env } = await connect(remote);
  try {
    await store.git(
      ['push', '--porcelain', '--no-verify', '--', url, `${commit}:refs/heads/${branch}`],
      { config, env, timeoutMs: remote.timeoutMs ?? 60_000 },
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

/**
 * Over http(s), git silently falls back to the "dumb" protocol and reads any 200 page as an empty
 * repository; a connection test must not tell "some web server" from "nothing there", so it first
 * requires a smart-HTTP advertisement (through the same policy and pinning).
 */
async function requireSmartHttp(remote: RemoteAccess): Promise<void> {
  if (!/^https?:\/\//u.test(remote.url)) return;
  const headers: Record<string, string> = {};
  if (remote.secret)
    headers['authorization'] =
      `Basic ${Buffer.from(`${remote.username ?? 'x-access-token'}:${remote.secret}`).toString('base64')}`;
  const probe = policyFetch(remote.policy, {
    timeoutMs: remote.timeoutMs ?? 15_000,
    maxResponseBytes: 4 * 1024 * 1024,
  });
  let detail: string;
  try {
    const res = await probe(
      `${remote.url.replace(/\/+$/u, '')}/info/refs?service=git-upload-pack`,
      { headers },
    );
    const type = res.headers.get('content-type') ?? '';
    if (res.status === 200 && type.startsWith('application/x-git-upload-pack-advertisement'))
      return;
    detail = `HTTP ${res.status} ${type}`;
  } catch (e) {
    if (e instanceof SwitchyardError) throw e;
    detail = e instanceof Error ? e.message : String(e);
  }
  throw new SwitchyardError('Unavailable', REMOTE_UNAVAILABLE_MESSAGE, [], { detail });
}

/** Lists the remote's branch heads: a connection test that reads nothing else. */
export async function testRemote(remote: RemoteAccess, cwd: string): Promise<number> {
  await requireSmartHttp(remote);
  const { url, config, env } = await connect(remote);
  const out = await runGit(['ls-remote', '--heads', '--', url], {
    cwd,
    config,
    // `cwd` is a scratch directory: never pick up a repository (and its config) above it.
    env: { ...env, GIT_CEILING_DIRECTORIES: dirname(cwd) },
    timeoutMs: remote.timeoutMs ?? 15_000,
  }).catch(unreachable);
  return out
    .toString()
    .split('\n')
    .filter((l) => l.trim() !== '').length;
}

function unreachable(e: unknown): never {
  if (e instanceof GitExecError) {
    // Credentials refused is folded in too: a 401 proves something speaks HTTP on that port.
    throw new SwitchyardError('Unavailable', REMOTE_UNAVAILABLE_MESSAGE, [], { detail: e.message });
  }
  throw e;
}
