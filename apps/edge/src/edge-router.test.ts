import { describe, expect, it } from 'vitest';
import { resolveTarget } from './edge-router.js';

describe('resolveTarget', () => {
  it('path form strips /e/{org}/{env} and keeps the query', () => {
    expect(
      resolveTarget('127.0.0.1:8088', '/e/acme/production/evaluate/v1/boolean?x=1', undefined),
    ).toEqual({
      org: 'acme',
      env: 'production',
      path: '/evaluate/v1/boolean?x=1',
      prefix: '/e/acme/production',
    });
    expect(resolveTarget(undefined, '/e/acme/production', undefined)).toEqual({
      org: 'acme',
      env: 'production',
      path: '/',
      prefix: '/e/acme/production',
    });
  });
  it('host form {env}.{org}.<domain> passes the path through', () => {
    expect(
      resolveTarget(
        'staging.acme.flags.example.com:443',
        '/ofrep/v1/evaluate/flags',
        'flags.example.com',
      ),
    ).toEqual({ org: 'acme', env: 'staging', path: '/ofrep/v1/evaluate/flags', prefix: '' });
  });
  it('refuses anything else', () => {
    expect(
      resolveTarget('acme.flags.example.com', '/evaluate/v1/boolean', 'flags.example.com'),
    ).toBeUndefined();
    expect(resolveTarget('a.b.c.flags.example.com', '/', 'flags.example.com')).toBeUndefined();
    expect(resolveTarget('evil.com', '/evaluate/v1/boolean', 'flags.example.com')).toBeUndefined();
    expect(resolveTarget(undefined, '/e/ACME/prod/x', undefined)).toBeUndefined();
    expect(resolveTarget(undefined, '/e/acme/../x', undefined)).toBeUndefined();
  });
});
