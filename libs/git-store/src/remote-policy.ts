/**
 * SSRF and injection policy for tenant-supplied remote URLs, applied when a repository is saved
 * AND again right before every connection. Only `https://` (and `http://` where an operator allows
 * it) with a real host name; no remote helpers (`ext::`), `file://`, scp form, option-looking
 * values, embedded credentials, control characters; no loopback, private, link-local, CGNAT or
 * metadata hosts unless allowed. At connect time the host is resolved, every answer checked, and
 * the checked addresses pinned for git's curl (`http.curloptResolve`) so DNS rebinding cannot
 * redirect the connection.
 */
import { lookup } from 'node:dns/promises';
import { errors } from '@switchyard/flags';

/** Operator switches of the policy. */
export interface RemotePolicy {
  /** Allow loopback/private/link-local hosts (self-hosted git on a private network, tests). */
  allowPrivateHosts: boolean;
  /** Allow plain `http://` (tests, private networks). */
  allowHttp: boolean;
}

/** Resolves a host name to addresses (injectable for tests). */
export type HostResolver = (host: string) => Promise<string[]>;

/** The system resolver: every address returned. */
export const systemResolver: HostResolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

const INTERNAL_NAMES = [
  /^localhost\.?$/u,
  /\.localhost\.?$/u,
  /^metadata\.google\.internal\.?$/u,
  /\.internal\.?$/u,
  /\.local\.?$/u,
  /^metadata\.?$/u,
];
const hasControl = (s: string): boolean =>
  [...s].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f);

/** Checks a remote URL's shape and host; throws InvalidArgument (path `url`) with a generic reason. */
export function validateRemoteUrl(raw: string, policy: RemotePolicy): URL {
  const bad = (message: string) =>
    errors.invalidArgument(`invalid repository URL: ${message}`, [{ path: 'url', message }]);
  if (raw === '' || raw.length > 2000 || hasControl(raw))
    throw bad('must be a non-empty URL without whitespace or control characters');
  if (raw.startsWith('-')) throw bad('must not start with "-"');
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/u.test(raw))
    throw bad('remote helpers ("<transport>::") are not allowed');
  if (!URL.canParse(raw)) throw bad('must be an https:// URL');
  const url = new URL(raw);
  const schemes = policy.allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol))
    throw bad(`scheme must be ${policy.allowHttp ? 'https or http' : 'https'}`);
  if (url.username !== '' || url.password !== '') throw bad('must not contain credentials');
  if (url.hostname === '' || url.hostname.startsWith('-')) throw bad('must name a host');
  if (url.search !== '' || url.hash !== '') throw bad('must not have a query or fragment');
  if (!policy.allowPrivateHosts && isPrivateHost(url.hostname))
    throw bad('host is not allowed (private, loopback or internal address)');
  return url;
}

/**
 * Save-time check. https (and http when allowed) go through {@link validateRemoteUrl}; `ssh://`
 * remotes (deploy keys) get the same host, option and control-character rules.
 */
export function validateRemoteOnSave(raw: string, policy: RemotePolicy): void {
  if (!raw.startsWith('ssh://')) {
    validateRemoteUrl(raw, policy);
    return;
  }
  const bad = (message: string) =>
    errors.invalidArgument(`invalid repository URL: ${message}`, [{ path: 'url', message }]);
  if (hasControl(raw) || !URL.canParse(raw))
    throw bad('must be a valid ssh:// URL without whitespace or control characters');
  const url = new URL(raw);
  if (
    url.hostname === '' ||
    url.hostname.startsWith('-') ||
    url.username.startsWith('-') ||
    url.pathname.startsWith('/-')
  )
    throw bad('must not look like an option');
  if (url.password !== '') throw bad('must not contain credentials');
  if (!policy.allowPrivateHosts && isPrivateHost(url.hostname))
    throw bad('host is not allowed (private, loopback or internal address)');
}

/**
 * Connect-time check: validates again, resolves the host and refuses private answers. Returns the
 * `http.curloptResolve` pin (`host:port:addr,…`), or undefined for an IP literal (already checked).
 */
export async function pinRemote(
  raw: string,
  policy: RemotePolicy,
  resolve: HostResolver = systemResolver,
): Promise<string | undefined> {
  const url = validateRemoteUrl(raw, policy);
  const host = url.hostname;
  if (host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/u.test(host)) return undefined;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    throw errors.unavailable(`git host ${host} could not be resolved`);
  }
  if (addresses.length === 0) throw errors.unavailable(`git host ${host} could not be resolved`);
  const bracketed = addresses.map((a) => (a.includes(':') ? `[${a}]` : a));
  if (!policy.allowPrivateHosts && bracketed.some(isPrivateHost)) {
    throw errors.invalidArgument(
      `git host ${host} is not allowed (it resolves to a private address)`,
      [{ path: 'url', message: 'resolves to a private address' }],
    );
  }
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${host}:${port}:${bracketed.join(',')}`;
}

/** True when `hostname` (as WHATWG URL normalises it: decimal/octal/hex IPv4 become dotted quads) is internal. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (INTERNAL_NAMES.some((re) => re.test(host))) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/u.exec(host);
  if (v4) return isPrivateIpv4(v4.slice(1).map(Number));
  if (host.startsWith('[') && host.endsWith(']')) return isPrivateIpv6(host.slice(1, -1));
  return false;
}

function isPrivateIpv4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    a >= 224
  );
}

function isPrivateIpv6(addr: string): boolean {
  if (addr === '::' || addr === '::1') return true;
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/u.exec(addr);
  if (mapped) {
    const hi = Number.parseInt(mapped[1] ?? '0', 16);
    const lo = Number.parseInt(mapped[2] ?? '0', 16);
    return isPrivateIpv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  if (/^::ffff:\d/u.test(addr) || /^64:ff9b:/u.test(addr)) return true;
  const first = Number.parseInt(addr.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
}
