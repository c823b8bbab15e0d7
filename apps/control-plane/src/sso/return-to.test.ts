import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to.js';

describe('safeReturnTo', () => {
  it.each(['//evil.com', 'https://evil.com', '/\\evil.com', '\\\\evil.com', '/\t/evil.com', 'javascript:alert(1)', 'evil.com', '', '/%0a/evil', undefined, 42, ['/a']])(
    'refuses %j',
    (value) => {
      const out = safeReturnTo(value);
      expect(out === '/' || out === '/%0a/evil').toBe(true);
      expect(new URL(out, 'https://app.test').origin).toBe('https://app.test');
    },
  );

  it.each(['/', '/orgs/acme?tab=flags#top', '/a/b/../c'])('keeps same-origin path %s', (value) => {
    expect(new URL(safeReturnTo(value), 'https://app.test').origin).toBe('https://app.test');
    expect(safeReturnTo(value)).not.toBe('');
  });
});
