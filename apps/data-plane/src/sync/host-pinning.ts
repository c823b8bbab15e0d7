/**
 * Connect-time SSRF defence for tenant-supplied git URLs (B11). Validation alone cannot stop a
 * public name that resolves (or re-resolves: DNS rebinding) to an internal address, so before each
 * fetch we resolve the host ourselves, refuse private answers, and pin the answers for git's curl
 * with `http.curloptResolve`: git then connects to exactly the addresses we checked.
 */
import { lookup } from 'node:dns/promises';
import { isPrivateHost } from './private-host.js';
import { SourceError } from './sync-source.js';

/** Resolves a host name to IP addresses (injectable for tests). */
export type HostResolver = (host: string) => Promise<string[]>;

/** The default resolver: every address the system resolver returns. */
export const systemResolver: HostResolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Returns the `http.curloptResolve` value pinning `url`'s host to checked addresses, or undefined
 * when nothing needs pinning (not http(s), or an IP literal, which validation already checked).
 * Throws SourceError when the host resolves to a private address and those are not allowed.
 */
export async function pinHost(url: string, resolve: HostResolver, allowPrivate: boolean): Promise<string | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined; // scp-form or a local path: not http(s)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const host = parsed.hostname;
  if (host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/u.test(host)) return undefined;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    throw new SourceError(`git host ${host} could not be resolved`);
  }
  const bracketed = addresses.map((a) => (a.includes(':') ? `[${a}]` : a));
  if (addresses.length === 0) throw new SourceError(`git host ${host} could not be resolved`);
  if (!allowPrivate && bracketed.some(isPrivateHost)) throw new SourceError(`git host ${host} is not allowed (it resolves to a private address)`);
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  return `${host}:${port}:${bracketed.join(',')}`;
}
