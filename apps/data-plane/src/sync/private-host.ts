/**
 * Recognises hosts that must not be reachable from tenant-supplied git URLs (SSRF): loopback,
 * private, link-local, CGNAT and unique-local ranges, IPv4-mapped IPv6, and well-known internal
 * names. Works on the hostname as normalised by WHATWG URL parsing, which already turns decimal,
 * octal and hex IPv4 forms (`2130706433`, `0177.0.0.1`, `0x7f.1`) into dotted quads.
 * This is a validation-time check only: DNS answers are not pinned at connect time.
 */

const INTERNAL_NAMES = [/^localhost\.?$/u, /\.localhost\.?$/u, /^metadata\.google\.internal\.?$/u, /\.internal\.?$/u, /\.local\.?$/u];

/** True when `hostname` (as URL.hostname gives it) is internal or a private address literal. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (INTERNAL_NAMES.some((re) => re.test(host))) return true;
  const v4 = parseIpv4(host);
  if (v4) return isPrivateIpv4(v4);
  if (host.startsWith('[') && host.endsWith(']')) return isPrivateIpv6(host.slice(1, -1));
  return false;
}

function parseIpv4(host: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/u.exec(host);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

function isPrivateIpv4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224
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
  if (/^::ffff:\d/u.test(addr)) return true; // dotted mapped form: refuse rather than parse
  const first = Number.parseInt(addr.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
}
