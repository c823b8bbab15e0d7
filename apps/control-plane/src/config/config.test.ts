import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has local defaults outside production', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ env: 'development', port: 3000, host: '127.0.0.1', databaseUrl: 'postgresql://postgres@127.0.0.1:5432/switchyard', redisUrl: 'redis://127.0.0.1:6379' });
    expect(c.secret.length).toBeGreaterThanOrEqual(32);
    expect(c.sessionIdleMs).toBe(60 * 60_000);
  });

  it('keeps all state under one data directory in the working directory, never the OS temp directory', () => {
    const c = loadConfig({});
    expect(c.dataDir).toBe(resolve('.switchyard/data'));
    expect(c.git.dataDir).toBe(resolve('.switchyard/data/git'));
    expect(c.provisioning.instanceDataDir).toBe(resolve('.switchyard/data/instances'));
    for (const dir of [c.dataDir, c.git.dataDir, c.provisioning.instanceDataDir]) expect(dir.startsWith(tmpdir())).toBe(false);
    const moved = loadConfig({ SWITCHYARD_DATA_DIR: '/srv/sy', GIT_DATA_DIR: '/mnt/git' });
    expect([moved.dataDir, moved.git.dataDir, moved.provisioning.instanceDataDir]).toEqual(['/srv/sy', '/mnt/git', '/srv/sy/instances']);
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
});
