/**
 * Shape and injection rules for git remote URLs (tenant repositories, instance git sources), on
 * top of the address policy. Accepted: `https://` (`http://` when the operator allows it),
 * `ssh://` and scp form (`user@host:path`), and for a standalone data plane only, local paths and
 * `file://`. Refused: remote helpers (`ext::`), other schemes, option-looking values, embedded
 * passwords, whitespace, control characters and backslashes, and host spellings that git's curl
 * or ssh could read differently from us (the host must be written canonically). The host then
 * goes through the address policy: at save time resolved and checked, at connect time resolved,
 * checked and PINNED (curl `http.curloptResolve`; ssh to the checked address with the name as
 * `HostKeyAlias`), so the connection goes to exactly the addresses checked.
 */
import { errors, type FieldViolation } from '@switchyard/flags';
import {
  checkHost,
  checkTarget,
  targetOf,
  type AddressPolicy,
  type CheckedTarget,
  type Target,
} from './address-policy.js';
import { isValidBranch, normalizeDirectory } from './path-rules.js';

/** The address policy plus the URL forms an operator allows. */
export interface RemotePolicy extends AddressPolicy {
  /** Allow plain `http://` (hosted git on the control plane in development, tests). */
  readonly allowHttp: boolean;
  /** Allow absolute local paths and `file://` (a standalone data plane's own disk); default false. */
  readonly allowLocal?: boolean | undefined;
}

/** A remote URL that passed the shape rules. */
export interface ParsedRemote {
  url: string;
  form: 'http' | 'ssh' | 'scp' | 'local';
  /** Where git connects (undefined for local remotes). */
  target?: Target | undefined;
}

/** How to run git against a checked remote: the URL to pass and extra config/environment. */
export interface PinnedRemote {
  url: string;
  config: Record<string, string>;
  env: Record<string, string>;
}

// `user@host:path` (no scheme); git treats it as ssh.
const SCP_FORM = /^(?:([A-Za-z0-9._~-]+)@)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(?!\/\/)(.+)$/u;
const hasControl = (s: string): boolean =>
  [...s].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f);

class Problem extends Error {}
const bad = (message: string): never => {
  throw new Problem(message);
};

/** The host exactly as written between `scheme://` (and any `user@`) and the port or path. */
function writtenHost(raw: string): string {
  const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/u.exec(raw)?.[1] ?? '';
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/u, '');
}

function parseSchemeUrl(raw: string, policy: RemotePolicy): ParsedRemote {
  if (!URL.canParse(raw)) return bad('is not a valid URL');
  const url = new URL(raw);
  if (url.protocol === 'file:') {
    if (policy.allowLocal !== true) return bad('file:// URLs are not allowed');
    return url.host === '' ? { url: raw, form: 'local' } : bad('file:// URLs must not name a host');
  }
  const schemes = ['https:', 'ssh:', ...(policy.allowHttp ? ['http:'] : [])];
  if (!schemes.includes(url.protocol))
    return bad(`scheme must be ${policy.allowHttp ? 'https, http' : 'https'} or ssh`);
  const target = targetOf(url);
  if (!target || target.host.startsWith('-')) return bad('must name a host');
  if (writtenHost(raw).toLowerCase() !== url.hostname.toLowerCase())
    return bad('the host must be written in canonical form (lower-case name or plain IP address)');
  if (url.password !== '') return bad('must not contain credentials (use the credential field)');
  if (url.protocol === 'ssh:') {
    if (url.username.startsWith('-') || url.pathname.startsWith('/-'))
      return bad('must not look like an option');
    return { url: raw, form: 'ssh', target };
  }
  if (url.username !== '' || raw.includes('@'))
    return bad('must not contain credentials (use the credential field)');
  if (url.search !== '' || url.hash !== '') return bad('must not have a query or fragment');
  return { url: raw, form: 'http', target };
}

function parseShape(raw: string, policy: RemotePolicy): ParsedRemote {
  if (raw === '' || raw.length > 2000 || hasControl(raw))
    return bad('must be a non-empty URL without whitespace or control characters');
  if (raw.startsWith('-')) return bad('must not start with "-"');
  if (raw.includes('\\')) return bad('must not contain backslashes');
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/u.test(raw))
    return bad('remote helpers ("<transport>::") are not allowed');
  if (raw.startsWith('/'))
    return policy.allowLocal === true
      ? { url: raw, form: 'local' }
      : bad('local paths are not allowed');
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//u.test(raw)) return parseSchemeUrl(raw, policy);
  const scp = SCP_FORM.exec(raw);
  if (scp && !scp[1]?.startsWith('-') && !scp[2]?.startsWith('-') && !scp[3]?.startsWith('-')) {
    const host = (scp[2] ?? '').toLowerCase().replace(/\.$/u, '');
    return { url: raw, form: 'scp', target: { scheme: 'ssh:', host, port: 22 } };
  }
  return bad('must be an https:// or ssh:// URL or user@host:path');
}

/**
 * Checks a remote URL's shape and (without resolving) its host; throws InvalidArgument on `field`
 * with a generic reason that never echoes the input.
 */
export function parseRemote(raw: string, policy: RemotePolicy, field = 'url'): ParsedRemote {
  let parsed: ParsedRemote;
  try {
    parsed = parseShape(raw, policy);
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    throw errors.invalidArgument(`invalid repository URL: ${e.message}`, [
      { path: field, message: e.message },
    ]);
  }
  if (parsed.target) checkHost(parsed.target, policy, field);
  return parsed;
}

/** Save-time check: shape, then the host resolved and every address checked. */
export async function validateRemoteOnSave(
  raw: string,
  policy: RemotePolicy,
  field = 'url',
): Promise<void> {
  const parsed = parseRemote(raw, policy, field);
  if (!parsed.target) return;
  try {
    await checkTarget(parsed.target, policy, field);
  } catch (e) {
    // A name that does not resolve now is not refused (DNS may be down, the host not yet set
    // up): nothing can be reached through it, and every connection checks and pins again.
    if ((e as { code?: unknown }).code !== 'Unavailable') throw e;
  }
}

const bracket = (address: string) => (address.includes(':') ? `[${address}]` : address);

function pinned(parsed: ParsedRemote, checked: CheckedTarget): PinnedRemote {
  if (checked.literal) return { url: parsed.url, config: {}, env: {} };
  if (parsed.form === 'http') {
    const host = new URL(parsed.url).hostname;
    const pin = `${host}:${checked.port}:${checked.addresses.map(bracket).join(',')}`;
    return { url: parsed.url, config: { 'http.curloptResolve': pin }, env: {} };
  }
  // ssh resolves on its own: hand it the checked address, and keep host-key checks on the name.
  const address = bracket(checked.addresses[0] ?? '');
  const url =
    parsed.form === 'ssh'
      ? parsed.url.replace(/^(ssh:\/\/(?:[^@/]*@)?)[^:/]+/u, `$1${address}`)
      : parsed.url.replace(/^((?:[^@:]+@)?)[^:]+:/u, `$1${address}:`);
  const alias = /^[a-z0-9.-]+$/u.test(checked.host) ? ` -o HostKeyAlias=${checked.host}` : '';
  const ssh = `ssh -o BatchMode=yes -o StrictHostKeyChecking=yes${alias}`;
  return { url, config: {}, env: { GIT_SSH_COMMAND: ssh } };
}

/**
 * Connect-time check: parses again, resolves, refuses non-public answers (unless allow-listed)
 * and returns how to run git so that it connects to exactly the checked addresses.
 */
export async function pinRemote(raw: string, policy: RemotePolicy): Promise<PinnedRemote> {
  const parsed = parseRemote(raw, policy);
  if (!parsed.target) return { url: parsed.url, config: {}, env: {} };
  return pinned(parsed, await checkTarget(parsed.target, policy));
}

/** A git source (instance or standalone data plane) that passed validation. */
export interface ValidatedGitSource {
  url: string;
  branch: string;
  /** Slash-separated, no leading or trailing slash; '' for the repository root. */
  directory: string;
  /** True for local paths and file:// URLs (git needs `protocol.file.allow`). */
  local: boolean;
}

/** Validates url, branch and directory of a git source; throws InvalidArgument listing every problem. */
export function validateGitSource(
  source: { url: string; branch: string; directory?: string | undefined },
  policy: RemotePolicy,
): ValidatedGitSource {
  const problems: FieldViolation[] = [];
  let local = false;
  try {
    local = parseRemote(source.url, policy).form === 'local';
  } catch (e) {
    problems.push(...((e as { details?: FieldViolation[] }).details ?? []));
  }
  if (!isValidBranch(source.branch))
    problems.push({
      path: 'branch',
      message: 'not a valid branch name (git check-ref-format rules)',
    });
  const directory = normalizeDirectory(source.directory ?? '');
  if (directory === undefined)
    problems.push({
      path: 'directory',
      message: 'must be a relative path without "..", ".git", "\\" or a leading "-"',
    });
  if (problems.length > 0)
    throw errors.invalidArgument(
      `invalid git source: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  return { url: source.url, branch: source.branch, directory: directory ?? '', local };
}
