import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to.js';

const ATTACKS = [
  '//evil.com',
  'https://evil.com',
  '/\\evil.com',
  '\\\\evil.com',
  '/\t/evil.com',
  '/\n/evil.com',
  '/\r\n/evil.com',
  'javascript:alert(1)',
  'evil.com',
  '',
  // Issue 10 item 4: dot segments and encoded forms that resolve to a scheme-relative URL.
  '/.//evil.com',
  '/././/evil.com',
  '/a/../..//evil.com',
  '/a/b/../../..//evil.com',
  '/%2e%2e//evil.com',
  '/%2E%2E//evil.com',
  '/%2e//evil.com',
  '/.%2e//evil.com',
  '/%252e%252e//evil.com',
  '/%2f%2fevil.com',
  '/%2F/evil.com',
  '/%5cevil.com',
  '/%5c%5cevil.com',
  '/%09/evil.com',
  '/%0a/evil.com',
  '/%0d%0a/evil.com',
  '/%00/evil.com',
  '/%25252e%25252e//evil.com',
  '/%2525252525252e//evil.com',
  '%2f%2fevil.com',
  '/https:%2f%2fevil.com/..//evil.com',
  undefined,
  42,
  ['/a'],
];

describe('safeReturnTo', () => {
  it.each(ATTACKS)('refuses %j (becomes /)', (value) => {
    expect(safeReturnTo(value)).toBe('/');
  });

  it.each([
    ['/', '/'],
    ['/orgs/acme?tab=flags#top', '/orgs/acme?tab=flags#top'],
    ['/a/b/../c', '/a/c'],
    ['/a/./b', '/a/b'],
    ['/orgs/acme/flags?q=a%26b', '/orgs/acme/flags?q=a%26b'],
    ['/search?next=%2Fhome', '/search?next=%2Fhome'],
    ['/caf%C3%A9', '/caf%C3%A9'],
    ['/a//b', '/a//b'],
  ])('keeps same-origin path %s as %s', (value, expected) => {
    expect(safeReturnTo(value)).toBe(expected);
  });

  it('whatever it returns, a browser resolves it on the same origin, also after one more decoding', () => {
    for (const value of ATTACKS) {
      const out = safeReturnTo(value);
      expect(new URL(out, 'https://app.test').origin).toBe('https://app.test');
      expect(new URL(decodeURIComponent(out), 'https://app.test').origin).toBe('https://app.test');
    }
  });
});
