import { describe, expect, it } from 'vitest';
import {
  hostRefusal,
  isPublicAddress,
  normalizeOrigin,
  parseAllowedOrigins,
} from './address-policy.js';
import {
  formatAddress,
  parseIpLiteral,
  parseIpv4,
  parseIpv6,
  specialRange,
} from './address-ranges.js';

const range = (text: string): string | undefined => {
  const bytes = parseIpLiteral(text);
  if (!bytes) throw new Error(`not an address: ${text}`);
  return specialRange(bytes);
};

/**
 * Every special-purpose range, both sides of each boundary: [name, first, last, just before, just after].
 * `first`/`last` must be classified as `name`; the neighbours must not be (public or another range).
 */
const TABLE: [string, string, string, string, string][] = [
  ['this network', '0.0.0.0', '0.255.255.255', '255.255.255.255', '1.0.0.0'],
  ['private (10', '10.0.0.0', '10.255.255.255', '9.255.255.255', '11.0.0.0'],
  ['shared address space', '100.64.0.0', '100.127.255.255', '100.63.255.255', '100.128.0.0'],
  ['loopback (127', '127.0.0.0', '127.255.255.255', '126.255.255.255', '128.0.0.0'],
  ['link-local (169.254', '169.254.0.0', '169.254.255.255', '169.253.255.255', '169.255.0.0'],
  ['private (172.16', '172.16.0.0', '172.31.255.255', '172.15.255.255', '172.32.0.0'],
  ['IETF protocol assignments', '192.0.0.0', '192.0.0.255', '191.255.255.255', '192.0.1.0'],
  ['documentation (192.0.2', '192.0.2.0', '192.0.2.255', '192.0.1.255', '192.0.3.0'],
  ['private (192.168', '192.168.0.0', '192.168.255.255', '192.167.255.255', '192.169.0.0'],
  ['benchmarking (198.18', '198.18.0.0', '198.19.255.255', '198.17.255.255', '198.20.0.0'],
  ['documentation (198.51.100', '198.51.100.0', '198.51.100.255', '198.51.99.255', '198.51.101.0'],
  ['documentation (203.0.113', '203.0.113.0', '203.0.113.255', '203.0.112.255', '203.0.114.0'],
  ['multicast (224', '224.0.0.0', '239.255.255.255', '223.255.255.255', '240.0.0.0'],
  ['reserved (240', '240.0.0.0', '255.255.255.254', '239.255.255.255', '0.0.0.0'],
  ['broadcast', '255.255.255.255', '255.255.255.255', '255.255.255.254', '0.0.0.0'],
  ['unspecified', '::', '::', '::1', '::1'],
  ['loopback (::1)', '::1', '::1', '::', '::2'],
  ['IPv4-compatible', '::2', '::ffff:ffff', '::1', '::1:0:0'],
  [
    'IPv4-mapped of loopback',
    '::ffff:127.0.0.0',
    '::ffff:127.255.255.255',
    '::ffff:126.255.255.255',
    '::ffff:128.0.0.0',
  ],
  [
    'NAT64 of private (10',
    '64:ff9b::a00:0',
    '64:ff9b::aff:ffff',
    '64:ff9b::9ff:ffff',
    '64:ff9b::b00:0',
  ],
  [
    'local-use NAT64',
    '64:ff9b:1::',
    '64:ff9b:1:ffff:ffff:ffff:ffff:ffff',
    '64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff',
    '64:ff9b:2::',
  ],
  [
    '6to4 of loopback',
    '2002:7f00::',
    '2002:7fff:ffff:ffff:ffff:ffff:ffff:ffff',
    '2002:7eff:ffff:ffff:ffff:ffff:ffff:ffff',
    '2002:8000::',
  ],
  [
    'Teredo',
    '2001::',
    '2001:0:ffff:ffff:ffff:ffff:ffff:ffff',
    '2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    '2001:1::',
  ],
  [
    'documentation (2001:db8',
    '2001:db8::',
    '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
    '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff',
    '2001:db9::',
  ],
  [
    'unique local',
    'fc00::',
    'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    'fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    'fe00::',
  ],
  [
    'link-local (fe80',
    'fe80::',
    'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    'fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    'fec0::',
  ],
  [
    'site-local',
    'fec0::',
    'feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    'ff00::',
  ],
  [
    'multicast (ff00',
    'ff00::',
    'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    'feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    '::',
  ],
];

describe('special-purpose address ranges', () => {
  it.each(TABLE)(
    '%s: first %s and last %s inside; neighbours %s and %s outside',
    (name, first, last, before, after) => {
      expect(range(first)).toContain(name);
      expect(range(last)).toContain(name);
      expect(range(before) ?? 'public').not.toContain(name);
      expect(range(after) ?? 'public').not.toContain(name);
    },
  );

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '93.184.216.34',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.0.1.255',
    '192.0.3.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s is public', (address) => {
    expect(range(address)).toBeUndefined();
    expect(isPublicAddress(address)).toBe(true);
  });

  it('judges IPv4-mapped, NAT64 and 6to4 addresses by the IPv4 address they carry', () => {
    expect(range('::ffff:169.254.169.254')).toBe('IPv4-mapped of link-local (169.254.0.0/16)');
    expect(range('::ffff:7f00:1')).toBe('IPv4-mapped of loopback (127.0.0.0/8)');
    expect(range('64:ff9b::192.168.0.1')).toBe('NAT64 of private (192.168.0.0/16)');
    expect(range('2002:c0a8:0101::')).toBe('6to4 of private (192.168.0.0/16)');
    expect(range('[2002:7f00:1::]')).toBe('6to4 of loopback (127.0.0.0/8)');
    expect(range('[::127.0.0.1]')).toBe('IPv4-compatible (::/96)');
  });

  it.each([
    ['2130706433', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['10.0x10000', '10.1.0.0'],
    ['0', '0.0.0.0'],
    ['017700000001', '127.0.0.1'],
    ['192.168.1.1.', '192.168.1.1'],
  ])('reads the IPv4 spelling %s as %s', (text, dotted) => {
    expect(formatAddress(parseIpv4(text) ?? [])).toBe(dotted);
  });

  it.each(['256.0.0.1', '1.2.3.4.5', '0x100000000', '08.1.1.1', 'example.com', '1.2.3.x', ''])(
    '%s is not an IPv4 address',
    (text) => {
      expect(parseIpv4(text)).toBeUndefined();
    },
  );

  it.each(['1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '::ffff:1.2.3', ':::', '12345::'])(
    '%s is not an IPv6 address',
    (text) => {
      expect(parseIpv6(text)).toBeUndefined();
    },
  );

  it('refuses internal names before resolving them', () => {
    for (const name of [
      'localhost',
      'LOCALHOST.',
      'a.localhost',
      'metadata.google.internal',
      'printer.local',
      'metadata',
    ])
      expect(hostRefusal(name), name).toBe('the name is internal');
    expect(hostRefusal('github.com')).toBeUndefined();
  });

  it('allow-list entries are exact origins with an explicit port', () => {
    expect(normalizeOrigin('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000');
    expect(normalizeOrigin('https://IdP.Example.com')).toBe('https://idp.example.com:443');
    expect(normalizeOrigin('http://[::1]')).toBe('http://[::1]:80');
    const { origins, problems } = parseAllowedOrigins(
      'http://a.test:1, ftp://b.test, https://c.test/path, https://u:p@d.test, nonsense',
    );
    expect(origins).toEqual(['http://a.test:1']);
    expect(problems).toHaveLength(4);
  });
});
