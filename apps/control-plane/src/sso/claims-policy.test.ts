import { describe, expect, it } from 'vitest';
import { ClaimsRejected, decide, mapRole, type ResolvedConnection } from './claims-policy.js';

const base: ResolvedConnection = {
  id: 'c1',
  orgId: 'o1',
  kind: 'OIDC',
  issuer: 'https://idp.example.com',
  clientId: 'c',
  clientSecret: 's',
  allowedDomains: [],
  roleMapping: {
    claim: 'groups',
    values: { admins: 'ADMIN', editors: 'EDITOR' },
    requireMatch: false,
  },
  defaultRole: 'VIEWER',
  savedByRole: 'ADMIN',
  auth0Organization: null,
  enabled: true,
  version: 'v1',
};
const claims = { email: 'Alice@Example.com', email_verified: true, groups: ['editors'] };
const reason = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof ClaimsRejected) return e.reason;
  }
  return null;
};

describe('claims policy', () => {
  it('maps the highest listed role and falls back to the default', () => {
    expect(mapRole(base.roleMapping, { groups: ['editors', 'admins'] }, 'VIEWER')).toBe('ADMIN');
    expect(mapRole(base.roleMapping, { groups: 'editors' }, 'VIEWER')).toBe('EDITOR');
    expect(mapRole(base.roleMapping, { groups: ['__proto__', 'constructor', 42] }, 'VIEWER')).toBe(
      'VIEWER',
    );
    expect(mapRole(base.roleMapping, {}, 'EDITOR')).toBe('EDITOR');
    expect(mapRole(base.roleMapping, { groups: ['editors'] }, 'ADMIN')).toBe('ADMIN');
  });

  it('with requireMatch, no mapped value means no role', () => {
    const strict = { ...base.roleMapping, requireMatch: true };
    expect(mapRole(strict, { groups: ['everyone'] }, 'VIEWER')).toBeNull();
    expect(mapRole(strict, { groups: ['everyone', 'editors'] }, 'VIEWER')).toBe('EDITOR');
  });

  it('lower-cases the e-mail and keeps the mapped role', () => {
    expect(decide(base, claims)).toMatchObject({
      email: 'alice@example.com',
      role: 'EDITOR',
      warnings: [],
    });
  });

  it.each<[string, Partial<ResolvedConnection>, Record<string, unknown>, RegExp]>([
    ['no e-mail', {}, { email: undefined }, /no e-mail/],
    ['email_verified false', {}, { email_verified: false }, /email_verified is false/],
    [
      'Google: email_verified absent',
      { kind: 'GOOGLE' },
      { email_verified: undefined, hd: 'example.com' },
      /email_verified is not true/,
    ],
    [
      'Google: hd absent',
      { kind: 'GOOGLE', allowedDomains: ['example.com'] },
      {},
      /hd claim missing/,
    ],
    [
      'Google: hd elsewhere',
      { kind: 'GOOGLE', allowedDomains: ['example.com'] },
      { hd: 'other.com' },
      /not an allowed domain/,
    ],
    ['domain allowlist', { allowedDomains: ['acme.test'] }, {}, /not allowed/],
    ['Auth0 org_id', { kind: 'AUTH0', auth0Organization: 'org_a' }, { org_id: 'org_b' }, /org_id/],
  ])('%s → rejected', (_, connection, extra, expected) => {
    expect(reason(() => decide({ ...base, ...connection }, { ...claims, ...extra }))).toMatch(
      expected,
    );
  });

  it('warns when a groups claim may be truncated', () => {
    const many = Array.from({ length: 100 }, (_, i) => `g${i}`);
    expect(decide(base, { ...claims, groups: [...many, 'admins'] }).warnings).toHaveLength(1);
  });
});
