/**
 * The one address policy: where the product may open a connection on behalf of a tenant or an
 * operator setting (git remotes, instance git sources, OpenID discovery/token/JWKS/userinfo).
 *
 * Rules, in every mode (there is no development bypass):
 * - a target is (scheme, host, port); its **origin** is `scheme://host:port` with the port explicit;
 * - an origin on the operator's allow-list (exact match) may be reached whatever it resolves to;
 * - otherwise the host must not be an internal name (`localhost`, `*.internal`, …), an IP literal
 *   in any special-purpose range (see address-ranges.ts, all spellings), nor a name of which ANY
 *   resolved address is non-public;
 * - the addresses checked are the ones connected to: callers pin them (git `http.curloptResolve`,
 *   ssh to the literal address, fetch through a fixed `lookup`), so DNS rebinding cannot move the
 *   connection after the check.
 */
import { lookup } from 'node:dns/promises';
import { errors } from '@switchyard/flags';
import { formatAddress, parseIpLiteral, specialRange } from './address-ranges.js';

/** Resolves a host name to every address (tests inject one for names that do not exist). */
export type HostResolver = (host: string) => Promise<string[]>;

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), every answer. */
export const systemResolver: HostResolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Operator settings of the policy. */
export interface AddressPolicy {
  /** Exact origins (`scheme://host:port`, normalised by {@link parseAllowedOrigins}) reachable even on non-public addresses. */
  readonly allowedOrigins: readonly string[];
  /** Resolver; {@link systemResolver} by default. */
  readonly resolve?: HostResolver | undefined;
}

/** Schemes the policy knows, with their default ports. */
const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443, 'ssh:': 22 };

/** A network target: what a connection is opened to. */
export interface Target {
  /** `http:`, `https:` or `ssh:`. */
  scheme: string;
  /** Lower-case host name or IP literal (IPv6 in brackets), as in URL.hostname. */
  host: string;
  port: number;
}

/** A target that passed the policy, with the addresses to connect to. */
export interface CheckedTarget extends Target {
  /** Addresses checked (plain text, IPv6 without brackets); connect to these only. */
  addresses: string[];
  /** True when the host was an IP literal (nothing to pin). */
  literal: boolean;
}

/** Names that always mean "inside": never sent to a resolver unless allow-listed. */
const INTERNAL_NAMES = [
  /^localhost$/u,
  /\.localhost$/u,
  /\.internal$/u,
  /\.local$/u,
  /\.home\.arpa$/u,
  /^metadata$/u,
  /^instance-data$/u,
];

/** The origin of a target: `scheme://host:port`, port always explicit. */
export function originOf(target: Target): string {
  return `${target.scheme}//${target.host}:${target.port}`;
}

/** The target of an http(s):// or ssh:// URL; undefined for other schemes or without a host. */
export function targetOf(url: URL): Target | undefined {
  const defaultPort = DEFAULT_PORTS[url.protocol];
  if (defaultPort === undefined || url.hostname === '') return undefined;
  const host = url.hostname.toLowerCase().replace(/\.$/u, '');
  return { scheme: url.protocol, host, port: url.port === '' ? defaultPort : Number(url.port) };
}

/** Normalises one allow-list entry to `scheme://host:port`; throws Error naming the problem. */
export function normalizeOrigin(entry: string): string {
  const text = entry.trim();
  if (!URL.canParse(text)) throw new Error(`"${entry}" is not a URL (expected scheme://host:port)`);
  const url = new URL(text);
  const target = targetOf(url);
  if (!target)
    throw new Error(`"${entry}": scheme must be http, https or ssh and a host is required`);
  if (url.username !== '' || url.password !== '')
    throw new Error(`"${entry}": must not contain credentials`);
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '')
    throw new Error(`"${entry}": an origin has no path, query or fragment`);
  return originOf(target);
}

/** Parses a comma-separated allow-list (or a list); every bad entry is reported. */
export function parseAllowedOrigins(value: string | readonly string[]): {
  origins: string[];
  problems: string[];
} {
  const entries = (typeof value === 'string' ? value.split(',') : [...value])
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const origins: string[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    try {
      origins.push(normalizeOrigin(entry));
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  return { origins: [...new Set(origins)], problems };
}

/** True when `target`'s exact origin is allow-listed. */
export function isAllowListed(target: Target, policy: AddressPolicy): boolean {
  return policy.allowedOrigins.includes(originOf(target));
}

/** Why `host` (a name or literal) is refused before any resolution, or undefined. */
export function hostRefusal(host: string): string | undefined {
  const literal = parseIpLiteral(host);
  if (literal) {
    const range = specialRange(literal);
    return range === undefined ? undefined : `the address is ${range}`;
  }
  const name = host.toLowerCase().replace(/\.$/u, '');
  if (INTERNAL_NAMES.some((re) => re.test(name))) return 'the name is internal';
  return undefined;
}

/** True when `address` (an IP literal) is in no special-purpose range. */
export function isPublicAddress(address: string): boolean {
  const bytes = parseIpLiteral(address);
  return bytes !== undefined && specialRange(bytes) === undefined;
}

const refused = (field: string, host: string, why: string) =>
  errors.invalidArgument(
    `host ${host} is not allowed: ${why}. Only public addresses are reachable, or origins the operator allow-lists exactly`,
    [{ path: field, message: `host is not allowed: ${why}` }],
  );

/**
 * Checks `target` without resolving names: allow-listed origins pass, special-purpose literals
 * and internal names are refused (InvalidArgument on `field`).
 */
export function checkHost(target: Target, policy: AddressPolicy, field = 'url'): void {
  if (isAllowListed(target, policy)) return;
  const why = hostRefusal(target.host);
  if (why !== undefined) throw refused(field, target.host, why);
}

/**
 * Checks `target` and resolves it: an IP literal is checked as it is; a name is resolved and
 * refused when ANY answer is non-public (unless the origin is allow-listed). Returns the
 * addresses to pin. Unresolvable names are Unavailable (a connect-time condition, retried).
 */
export async function checkTarget(
  target: Target,
  policy: AddressPolicy,
  field = 'url',
): Promise<CheckedTarget> {
  checkHost(target, policy, field);
  const literal = parseIpLiteral(target.host);
  if (literal) return { ...target, addresses: [formatAddress(literal)], literal: true };
  let answers: string[];
  try {
    answers = await (policy.resolve ?? systemResolver)(target.host);
  } catch {
    answers = [];
  }
  if (answers.length === 0) throw errors.unavailable(`host ${target.host} could not be resolved`);
  const bytes = answers.map((a) => parseIpLiteral(a));
  // One non-public answer is enough: a client may pick any of them, and rebinding alternates them.
  const nonPublic = bytes.some((b) => b === undefined || specialRange(b) !== undefined);
  if (nonPublic && !isAllowListed(target, policy))
    throw refused(field, target.host, 'it resolves to a non-public address');
  const addresses = bytes.flatMap((b) => (b ? [formatAddress(b)] : []));
  if (addresses.length === 0) throw errors.unavailable(`host ${target.host} could not be resolved`);
  return { ...target, addresses, literal: false };
}
