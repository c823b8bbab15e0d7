import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isWellFormedToken, mintToken } from './secret-token.js';
import { sha256 } from './crypto.js';

describe('secret tokens', () => {
  it('mint recognisable tokens whose checksum verifies offline', () => {
    for (const kind of ['live', 'pat'] as const) {
      const t = mintToken(kind);
      expect(t.secret).toMatch(new RegExp(`^sy_${kind}_[0-9A-Za-z]{30}_[0-9A-Za-z]{6}$`));
      expect(isWellFormedToken(kind, t.secret)).toBe(true);
      expect(isWellFormedToken(kind === 'live' ? 'pat' : 'live', t.secret)).toBe(false);
      expect(t.hash).toBe(sha256(t.secret));
      expect(t.secret.startsWith(t.displayPrefix)).toBe(true);
    }
  });

  it('reject any single-character change (the CRC32 catches it)', () => {
    const { secret } = mintToken('live');
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: secret.length - 1 }),
        fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_'),
        (i, ch) => {
          fc.pre(secret[i] !== ch);
          expect(isWellFormedToken('live', secret.slice(0, i) + ch + secret.slice(i + 1))).toBe(
            false,
          );
        },
      ),
    );
  });
});
