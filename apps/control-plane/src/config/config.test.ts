import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has local defaults outside production', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      env: 'development',
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/switchyard',
      redisUrl: 'redis://127.0.0.1:6379',
    });
    expect(c.secret.length).toBeGreaterThanOrEqual(32);
    expect(c.sessionIdleMs).toBe(60 * 60_000);
  });

  it('keeps all state under one data directory in the working directory, never the OS temp directory', () => {
    const c = loadConfig({});
    expect(c.dataDir).toBe(resolve('.switchyard/data'));
    expect(c.git.dataDir).toBe(resolve('.switchyard/data/git'));
    expect(c.provisioning.instanceDataDir).toBe(resolve('.switchyard/data/instances'));
    // Under the working directory, wherever that is (a checkout may itself live in /tmp).
    for (const dir of [c.dataDir, c.git.dataDir, c.provisioning.instanceDataDir])
      expect(dir.startsWith(`${process.cwd()}/`)).toBe(true);
    const moved = loadConfig({ SWITCHYARD_DATA_DIR: '/srv/sy', GIT_DATA_DIR: '/mnt/git' });
    expect([moved.dataDir, moved.git.dataDir, moved.provisioning.instanceDataDir]).toEqual([
      '/srv/sy',
      '/mnt/git',
      '/srv/sy/instances',
    ]);
  });

  it('requires a real secret in production and reports every bad variable at once', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SWITCHYARD_SECRET: is required in production/,
    );
    const err = (() => {
      try {
        loadConfig({
          NODE_ENV: 'production',
          PORT: '70000',
          SWITCHYARD_SECRET: 'short',
          ALLOWED_ORIGINS: 'https://ok.example,https://bad.example/path',
        });
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
    const c = loadConfig({
      NODE_ENV: 'production',
      SWITCHYARD_SECRET: 'x'.repeat(40),
      PORT: '8081',
      ALLOWED_ORIGINS: 'https://console.example.com',
    });
    expect(c).toMatchObject({
      env: 'production',
      port: 8081,
      allowedOrigins: ['https://console.example.com'],
    });
  });

  it('DNS_RESOLVERS: system resolver by default, exact servers otherwise, malformed ones named', () => {
    expect(loadConfig({}).dnsResolvers).toEqual([]);
    expect(
      loadConfig({ DNS_RESOLVERS: '127.0.0.1:5353, 9.9.9.9,[::1]:53,2001:db8::1' }).dnsResolvers,
    ).toEqual(['127.0.0.1:5353', '9.9.9.9', '[::1]:53', '2001:db8::1']);
    for (const bad of [
      'dns.example.com',
      '127.0.0.1:0',
      '127.0.0.1:70000',
      '300.1.1.1',
      '::1:53x',
      '[127.0.0.1]:53',
    ]) {
      expect(() => loadConfig({ DNS_RESOLVERS: bad }), bad).toThrow(/DNS_RESOLVERS/);
    }
  });

  it('validates the rate-limit and idempotency settings; tests get a private rate-limit key prefix', () => {
    const c = loadConfig({ TOKEN_RATE_LIMIT_PER_MINUTE: '5', IDEMPOTENCY_RETENTION_HOURS: '2' });
    expect(c.rateLimits).toEqual({
      keyPrefix: 'switchyard:rl',
      auth: { perIp: 30, perScope: 300 },
      token: { perIp: 5, perScope: 60 },
    });
    expect(c.idempotency).toEqual({ retentionMs: 2 * 3_600_000, purgeIntervalMs: 15 * 60_000 });
    // Change events: one channel per deployment, a private one per test app unless named.
    expect(c.changeEventsChannel).toBe('switchyard:changes');
    expect(c.eventStreamHeartbeatMs).toBe(15_000);
    expect(loadConfig({ NODE_ENV: 'test' }).changeEventsChannel).not.toBe(
      loadConfig({ NODE_ENV: 'test' }).changeEventsChannel,
    );
    expect(() => loadConfig({ CHANGE_EVENTS_CHANNEL: 'a b' })).toThrow(/CHANGE_EVENTS_CHANNEL/);
    expect(() => loadConfig({ EVENT_STREAM_HEARTBEAT_MS: '0' })).toThrow(
      /EVENT_STREAM_HEARTBEAT_MS/,
    );
    const a = loadConfig({ NODE_ENV: 'test' }).rateLimits.keyPrefix;
    expect(a).not.toBe(loadConfig({ NODE_ENV: 'test' }).rateLimits.keyPrefix);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,::1' }).trustProxy).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
      '::1',
    ]);
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.1/33,proxy.local' })).toThrow(
      /"10.0.0.1\/33" is not an IP address or CIDR[\s\S]*"proxy.local"/,
    );
    expect(() =>
      loadConfig({
        RATE_LIMIT_KEY_PREFIX: 'a b',
        AUTH_RATE_LIMIT_PER_CONNECTION_PER_MINUTE: '0',
        IDEMPOTENCY_PURGE_INTERVAL_MS: '5',
      }),
    ).toThrow(
      /RATE_LIMIT_KEY_PREFIX[\s\S]*AUTH_RATE_LIMIT_PER_CONNECTION_PER_MINUTE|AUTH_RATE_LIMIT_PER_CONNECTION_PER_MINUTE[\s\S]*RATE_LIMIT_KEY_PREFIX/,
    );
  });

  it('OUTBOUND_ALLOWED_ORIGINS: exact origins normalised with their port; bad entries and the removed switches fail the boot', () => {
    const c = loadConfig({
      OUTBOUND_ALLOWED_ORIGINS: 'http://127.0.0.1:4000, https://git.corp.example',
    });
    expect(c.outbound.allowedOrigins).toEqual([
      'http://127.0.0.1:4000',
      'https://git.corp.example:443',
    ]);
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
    expect(bad({ OUTBOUND_ALLOWED_ORIGINS: 'https://idp.example/path,ftp://x.example' })).toMatch(
      /OUTBOUND_ALLOWED_ORIGINS: .*no path[\s\S]*OUTBOUND_ALLOWED_ORIGINS: .*scheme/,
    );
    expect(bad({ GIT_ALLOW_PRIVATE_HOSTS: 'true' })).toContain('GIT_ALLOW_PRIVATE_HOSTS: removed');
    expect(bad({ INSTANCE_GIT_ALLOW_PRIVATE_HOSTS: 'true' })).toContain(
      'INSTANCE_GIT_ALLOW_PRIVATE_HOSTS: removed',
    );
  });
});
