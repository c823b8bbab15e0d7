import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has local defaults outside production', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ env: 'development', port: 3000, host: '127.0.0.1', databaseUrl: 'postgresql://postgres@127.0.0.1:5432/switchyard', redisUrl: 'redis://127.0.0.1:6379' });
    expect(c.secret.length).toBeGreaterThanOrEqual(32);
    expect(c.sessionIdleMs).toBe(60 * 60_000);
  });

  it('requires a real secret in production and reports every bad variable at once', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SWITCHYARD_SECRET: is required in production/);
    const err = (() => {
      try {
        loadConfig({ NODE_ENV: 'production', PORT: '70000', SWITCHYARD_SECRET: 'short', ALLOWED_ORIGINS: 'https://ok.example,https://bad.example/path' });
      } catch (e) {
        return e as ConfigError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.message).toContain('PORT');
    expect(err!.message).toContain('SWITCHYARD_SECRET: must be at least 32 characters');
    expect(err!.message).toContain('"https://bad.example/path" is not an exact origin');
  });

  it('parses production settings', () => {
    const c = loadConfig({ NODE_ENV: 'production', SWITCHYARD_SECRET: 'x'.repeat(40), PORT: '8081', ALLOWED_ORIGINS: 'https://console.example.com' });
    expect(c).toMatchObject({ env: 'production', port: 8081, allowedOrigins: ['https://console.example.com'] });
  });

  it('OUTBOUND_ALLOWED_ORIGINS: exact origins normalised with their port; bad entries and the removed switches fail the boot', () => {
    const c = loadConfig({ OUTBOUND_ALLOWED_ORIGINS: 'http://127.0.0.1:4000, https://git.corp.example' });
    expect(c.outbound.allowedOrigins).toEqual(['http://127.0.0.1:4000', 'https://git.corp.example:443']);
    expect(loadConfig({}).outbound.allowedOrigins).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'development' }).outbound.allowedOrigins).toEqual([]);
    const bad = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(bad({ OUTBOUND_ALLOWED_ORIGINS: 'https://idp.example/path,ftp://x.example' })).toMatch(/OUTBOUND_ALLOWED_ORIGINS: .*no path[\s\S]*OUTBOUND_ALLOWED_ORIGINS: .*scheme/);
    expect(bad({ GIT_ALLOW_PRIVATE_HOSTS: 'true' })).toContain('GIT_ALLOW_PRIVATE_HOSTS: removed');
    expect(bad({ INSTANCE_GIT_ALLOW_PRIVATE_HOSTS: 'true' })).toContain('INSTANCE_GIT_ALLOW_PRIVATE_HOSTS: removed');
  });
});
