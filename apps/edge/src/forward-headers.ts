/**
 * Which headers cross the edge, in both directions (RFC 9110 §7.6.1): hop-by-hop headers and every
 * header the sender names in `Connection` stay on their hop. So `Connection: close, authorization`
 * strips the token instead of forwarding it, exactly as a conforming proxy must.
 *
 * `X-Forwarded-For/-Proto/-Host` are rebuilt by the edge. Inbound values (and `Forwarded`,
 * `X-Real-IP`) are believed only from a trusted proxy (`EDGE_TRUSTED_PROXIES`, exact peer
 * addresses): then the peer is appended to its chain; from anyone else they are replaced, so a
 * client cannot pose as another address, scheme or host.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Hop-by-hop headers (RFC 9110 §7.6.1, plus the legacy `proxy-connection`) and `host` (set by the client agent). */
const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);
/** Client-address and scheme claims that only a trusted proxy may make. */
const FORWARDING = [
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'forwarded',
  'x-real-ip',
];

/** Header names listed in `Connection` (lower case), which must not be forwarded. */
export function connectionTokens(value: string | string[] | undefined): Set<string> {
  const out = new Set<string>();
  const all = Array.isArray(value) ? value.join(',') : (value ?? '');
  for (const token of all.split(',')) {
    const t = token.trim().toLowerCase();
    if (t) out.add(t);
  }
  return out;
}

/** End-to-end headers of a message: hop-by-hop, `Connection`-named and `drop` names removed. */
export function endToEndHeaders(
  headers: IncomingHttpHeaders,
  drop: readonly string[] = [],
): Record<string, string | string[]> {
  const named = connectionTokens(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || named.has(k) || drop.includes(k)) continue;
    out[k] = v;
  }
  return out;
}

/** `::ffff:10.0.0.1` → `10.0.0.1`, so IPv4 peers match the trusted list however they connected. */
export function normaliseAddress(address: string | undefined): string {
  const a = address ?? '';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/** What the edge knows about the hop it received a request on. */
export interface Hop {
  /** The TCP peer's address. */
  peer: string;
  /** Whether the peer is a trusted proxy whose forwarding headers are believed. */
  trusted: boolean;
  /** `https` when the edge terminated TLS itself, else `http`. */
  proto: 'http' | 'https';
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Request headers for the instance: end-to-end headers of the client's request (without the
 * edge's own environment header, which only the edge sets) plus the rebuilt forwarding headers.
 */
export function upstreamRequestHeaders(
  headers: IncomingHttpHeaders,
  hop: Hop,
  internal: readonly string[],
): Record<string, string | string[]> {
  const out = endToEndHeaders(headers, [...internal, ...FORWARDING]);
  const inboundFor = hop.trusted ? first(headers['x-forwarded-for'])?.trim() : undefined;
  out['x-forwarded-for'] = inboundFor ? `${inboundFor}, ${hop.peer}` : hop.peer;
  out['x-forwarded-proto'] =
    (hop.trusted ? first(headers['x-forwarded-proto'])?.trim() : undefined) || hop.proto;
  const host =
    (hop.trusted ? first(headers['x-forwarded-host'])?.trim() : undefined) || headers.host;
  if (host) out['x-forwarded-host'] = host;
  if (hop.trusted) {
    for (const k of ['forwarded', 'x-real-ip'] as const) {
      const v = headers[k];
      if (v !== undefined) out[k] = v;
    }
  }
  return out;
}
