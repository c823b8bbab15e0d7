import { describe, expect, it } from 'vitest';
import { ANONYMOUS, authorize, hashToken, TokenTable } from './token-table.js';

describe('TokenTable', () => {
  it('accepts plaintext and hashed tokens, case-insensitive scheme, and rejects the rest', () => {
    const t = new TokenTable(true, [
      { token: 'plain', environments: '*' },
      { sha256: hashToken('hashed').toUpperCase(), environments: ['prod'] },
    ]);
    expect(t.authenticate('Bearer plain').environments).toBeUndefined();
    expect(t.authenticate('bearer hashed').environments).toEqual(new Set(['prod']));
    for (const h of [undefined, '', 'Bearer', 'Bearer nope', 'JWT plain', 'plain'])
      expect(() => t.authenticate(h)).toThrow('request was not authenticated');
  });

  it('is anonymous when auth is off, and replacing the table revokes cached tokens', () => {
    expect(new TokenTable(false, []).authenticate(undefined)).toBe(ANONYMOUS);
    const t = new TokenTable(true, [{ token: 'old', environments: '*' }]);
    t.authenticate('Bearer old');
    t.replace([{ token: 'new', environments: '*' }]);
    expect(() => t.authenticate('Bearer old')).toThrow();
    expect(t.authenticate('Bearer new')).toBeTruthy();
  });

  it('authorizes by environment and namespace', () => {
    const t = new TokenTable(true, [{ token: 'x', environments: ['prod'], namespaces: ['web'] }]);
    const scope = t.authenticate('Bearer x');
    expect(() => authorize(scope, 'prod', 'web')).not.toThrow();
    expect(() => authorize(scope, 'staging', 'web')).toThrow(/environment "staging"/);
    expect(() => authorize(scope, 'prod', 'api')).toThrow(/namespace "api"/);
  });

  it('notes each token with a control-plane id once per drain, keeps pending uses across replacements, and restores failed reports', () => {
    const t = new TokenTable(true, [
      { id: 'tok-a', token: 'a', environments: '*' },
      { id: 'tok-b', token: 'b', environments: '*' },
      { token: 'static', environments: '*' },
    ]);
    expect(t.drainUsage()).toEqual([]);
    for (let i = 0; i < 1000; i++) t.authenticate('Bearer a');
    t.authenticate('Bearer static');
    expect(() => t.authenticate('Bearer wrong')).toThrow();
    const first = t.authenticate('Bearer a').usage!.pendingMs;
    expect(first).toBeGreaterThan(0);
    // The table is swapped (tokens_changed) before the report: the pending use survives.
    t.replace([
      { id: 'tok-a', token: 'a', environments: '*' },
      { id: 'tok-b', token: 'b', environments: '*' },
    ]);
    const drained = t.drainUsage();
    expect(drained).toEqual([{ tokenId: 'tok-a', lastUsedAtMs: first }]);
    expect(t.drainUsage()).toEqual([]);
    t.restoreUsage(drained);
    expect(t.drainUsage()).toEqual(drained);
    // A token removed from the table is no longer reported.
    t.authenticate('Bearer b');
    t.replace([{ id: 'tok-a', token: 'a', environments: '*' }]);
    expect(t.drainUsage()).toEqual([]);
  });
});
