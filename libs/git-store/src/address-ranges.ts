/**
 * Classification of IP addresses into the special-purpose ranges of the IANA IPv4 and IPv6
 * registries (RFC 6890 and successors). An address is "public" only when it falls in none of them.
 * Addresses that embed an IPv4 address (IPv4-mapped, NAT64 well-known prefix, 6to4) are judged by
 * the embedded address, because that is where the packets end up. Parsing is our own (not the
 * resolver's) so every spelling git, curl or ssh would accept is covered: integer, octal and hex
 * IPv4 (`2130706433`, `0177.1`, `0x7f.0.0.1`), and every IPv6 text form.
 */

/** Bytes of a parsed address: 4 for IPv4, 16 for IPv6. */
export type AddressBytes = readonly number[];

interface Range {
  prefix: AddressBytes;
  bits: number;
  name: string;
}

const v4 = (text: string, bits: number, name: string): Range => ({
  prefix: parseIpv4(text) ?? [],
  bits,
  name,
});
const v6 = (text: string, bits: number, name: string): Range => ({
  prefix: parseIpv6(text) ?? [],
  bits,
  name,
});

/** IPv4 special-purpose ranges (none of them is reachable as a public host). */
const IPV4_RANGES: readonly Range[] = [
  v4('0.0.0.0', 8, 'this network (0.0.0.0/8)'),
  v4('10.0.0.0', 8, 'private (10.0.0.0/8)'),
  v4('100.64.0.0', 10, 'shared address space (100.64.0.0/10)'),
  v4('127.0.0.0', 8, 'loopback (127.0.0.0/8)'),
  v4('169.254.0.0', 16, 'link-local (169.254.0.0/16)'),
  v4('172.16.0.0', 12, 'private (172.16.0.0/12)'),
  v4('192.0.0.0', 24, 'IETF protocol assignments (192.0.0.0/24)'),
  v4('192.0.2.0', 24, 'documentation (192.0.2.0/24)'),
  v4('192.88.99.0', 24, '6to4 relay anycast (192.88.99.0/24)'),
  v4('192.168.0.0', 16, 'private (192.168.0.0/16)'),
  v4('198.18.0.0', 15, 'benchmarking (198.18.0.0/15)'),
  v4('198.51.100.0', 24, 'documentation (198.51.100.0/24)'),
  v4('203.0.113.0', 24, 'documentation (203.0.113.0/24)'),
  v4('224.0.0.0', 4, 'multicast (224.0.0.0/4)'),
  v4('255.255.255.255', 32, 'broadcast (255.255.255.255/32)'),
  v4('240.0.0.0', 4, 'reserved (240.0.0.0/4)'),
];

/** IPv6 ranges refused outright (checked after the ranges that embed an IPv4 address). */
const IPV6_RANGES: readonly Range[] = [
  v6('::', 128, 'unspecified (::)'),
  v6('::1', 128, 'loopback (::1)'),
  v6('::', 96, 'IPv4-compatible (::/96)'),
  v6('64:ff9b:1::', 48, 'local-use NAT64 (64:ff9b:1::/48)'),
  v6('100::', 64, 'discard-only (100::/64)'),
  v6('2001:db8::', 32, 'documentation (2001:db8::/32)'),
  v6('2001::', 32, 'Teredo (2001::/32)'),
  v6('2001:2::', 48, 'benchmarking (2001:2::/48)'),
  v6('2001:10::', 28, 'ORCHID (2001:10::/28)'),
  v6('2001:20::', 28, 'ORCHIDv2 (2001:20::/28)'),
  v6('3fff::', 20, 'documentation (3fff::/20)'),
  v6('fc00::', 7, 'unique local (fc00::/7)'),
  v6('fe80::', 10, 'link-local (fe80::/10)'),
  v6('fec0::', 10, 'site-local (fec0::/10)'),
  v6('ff00::', 8, 'multicast (ff00::/8)'),
];

/** Ranges whose last (or, for 6to4, second and third) 32 bits are an IPv4 address to judge instead. */
const EMBEDDING: readonly (Range & { offset: number })[] = [
  { ...v6('::ffff:0:0', 96, 'IPv4-mapped'), offset: 12 },
  { ...v6('64:ff9b::', 96, 'NAT64'), offset: 12 },
  { ...v6('2002::', 16, '6to4'), offset: 2 },
];

function inRange(bytes: AddressBytes, range: Range): boolean {
  if (bytes.length !== range.prefix.length) return false;
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

/**
 * The special-purpose range `bytes` falls in (e.g. `loopback (127.0.0.0/8)`, `6to4 of loopback
 * (127.0.0.0/8)`), or undefined for a public address.
 */
export function specialRange(bytes: AddressBytes): string | undefined {
  if (bytes.length === 4) return IPV4_RANGES.find((r) => inRange(bytes, r))?.name;
  for (const range of EMBEDDING) {
    if (!inRange(bytes, range)) continue;
    const inner = specialRange(bytes.slice(range.offset, range.offset + 4));
    return inner === undefined ? undefined : `${range.name} of ${inner}`;
  }
  return IPV6_RANGES.find((r) => inRange(bytes, r))?.name;
}

/** One IPv4 component as inet_aton reads it: decimal, octal (leading 0) or hex (0x). */
function ipv4Part(part: string): number | undefined {
  if (/^0x[0-9a-f]*$/iu.test(part))
    return part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
  if (/^0[0-7]*$/u.test(part)) return Number.parseInt(part, 8);
  if (/^[1-9][0-9]*$/u.test(part)) return Number(part);
  return undefined;
}

/**
 * Parses an IPv4 address in every spelling inet_aton (hence curl, ssh and git) accepts: one to
 * four parts, each decimal, octal or hex, the last part filling the remaining bytes. A trailing
 * dot is allowed. Undefined when `text` is not an IPv4 address in any of these forms.
 */
export function parseIpv4(text: string): AddressBytes | undefined {
  const parts = text.replace(/\.$/u, '').split('.');
  if (parts.length > 4) return undefined;
  const values = parts.map(ipv4Part);
  if (values.some((v) => v === undefined)) return undefined;
  const nums = values as number[];
  const last = nums.pop() ?? 0;
  if (nums.some((n) => n > 255) || last >= 2 ** (8 * (4 - nums.length))) return undefined;
  const tail = [24, 16, 8, 0]
    .slice(nums.length)
    .map((shift) => Math.floor(last / 2 ** shift) % 256);
  return [...nums, ...tail];
}

function hextets(group: string): number[] | undefined {
  if (group === '') return [];
  const out: number[] = [];
  const parts = group.split(':');
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes('.')) {
      const embedded = /^\d{1,3}(?:\.\d{1,3}){3}$/u.test(part) ? parseIpv4(part) : undefined;
      if (!embedded) return undefined;
      out.push(
        ((embedded[0] ?? 0) << 8) | (embedded[1] ?? 0),
        ((embedded[2] ?? 0) << 8) | (embedded[3] ?? 0),
      );
    } else if (/^[0-9a-f]{1,4}$/iu.test(part)) out.push(Number.parseInt(part, 16));
    else return undefined;
  }
  return out;
}

/**
 * Parses an IPv6 address (with or without brackets; `::` compression; a dotted IPv4 tail) into 16
 * bytes. Zone identifiers (`%eth0`) are refused: they only name link-local scopes.
 */
export function parseIpv6(text: string): AddressBytes | undefined {
  const addr = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!addr.includes(':') || addr.includes('%')) return undefined;
  const halves = addr.split('::');
  if (halves.length > 2) return undefined;
  const head = hextets(halves[0] ?? '');
  const tail = halves.length === 2 ? hextets(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** Parses an IP literal in any accepted spelling (IPv6 with or without brackets). */
export function parseIpLiteral(text: string): AddressBytes | undefined {
  return parseIpv6(text) ?? parseIpv4(text);
}

/** Canonical text of parsed address bytes (dotted quad, or IPv6 without compression). */
export function formatAddress(bytes: AddressBytes): string {
  if (bytes.length === 4) return bytes.join('.');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2)
    words.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return words.join(':');
}
