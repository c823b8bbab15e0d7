import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInstanceModeConfig, loadServeConfig, parseDuration } from './cli-config.js';
import { ConfigError, defaultEnvironmentKey } from './instance-config.js';

const noEnv = {};

/** A temporary directory for config files, removed after the suite. */
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sy-cfg-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('switchyard serve configuration', () => {
  it('takes a positional directory with defaults (auth must be explicit)', () => {
    const c = loadServeConfig(['./flags', '--no-auth'], noEnv);
    expect(c).toMatchObject({
      host: '0.0.0.0',
      httpPort: 8080,
      grpcPort: 9000,
      auth: { required: false, tokens: [] },
    });
    expect(c.environments).toEqual([
      { key: 'default', default: true, source: { type: 'dir', path: './flags', watch: true } },
    ]);
  });

  it('private git hosts by exact origin only: --allow-origin (repeatable), SWITCHYARD_ALLOWED_ORIGINS, allowedOrigins', () => {
    const c = loadServeConfig(
      [
        '--git',
        'http://127.0.0.1:3000/r.git',
        '--allow-origin',
        'http://127.0.0.1:3000',
        '--no-auth',
      ],
      { SWITCHYARD_ALLOWED_ORIGINS: 'https://git.lan' },
    );
    expect(c.allowedOrigins).toEqual(['http://127.0.0.1:3000', 'https://git.lan:443']);
    expect(loadServeConfig(['./flags', '--no-auth'], noEnv).allowedOrigins).toEqual([]);
    expect(() =>
      loadServeConfig(
        ['./flags', '--no-auth', '--allow-origin', 'http://127.0.0.1:3000/path'],
        noEnv,
      ),
    ).toThrow(/no path/);
  });

  it('builds git and upstream sources', () => {
    const git = loadServeConfig(
      [
        '--git',
        'https://example.com/r.git',
        '--branch',
        'prod',
        '--directory',
        'flags',
        '--poll',
        '2s',
        '--token',
        't1',
        '--token',
        't2',
      ],
      noEnv,
    );
    expect(git.environments[0]!.source).toEqual({
      type: 'git',
      url: 'https://example.com/r.git',
      branch: 'prod',
      directory: 'flags',
      pollIntervalMs: 2000,
    });
    expect(git.auth.tokens.map((t) => t.token)).toEqual(['t1', 't2']);
    const up = loadServeConfig(
      [
        '--upstream',
        'http://a:8080',
        '--upstream-token',
        'u',
        '--environment',
        'staging',
        '--no-auth',
      ],
      noEnv,
    );
    expect(up.environments[0]).toMatchObject({
      key: 'staging',
      source: { type: 'upstream', url: 'http://a:8080', token: 'u', environment: 'staging' },
    });
  });

  it('reads a YAML config file with several environments and scoped tokens; CLI and env override', () => {
    const dir = tempDir();
    const file = join(dir, 'switchyard.yaml');
    writeFileSync(
      file,
      `httpPort: 8181
environments:
  - key: production
    source: { type: git, url: "https://example.com/r.git", branch: main }
  - key: staging
    default: true
    source: { type: dir, path: ./staging }
auth:
  tokens:
    - { name: ci, sha256: "${'ab'.repeat(32)}", environments: [staging], namespaces: [default] }
`,
    );
    const c = loadServeConfig(['--config', file, '--grpc-port', '9100'], {
      SWITCHYARD_HTTP_PORT: '8282',
      SWITCHYARD_LOG_LEVEL: 'debug',
    });
    expect(c).toMatchObject({
      httpPort: 8282,
      grpcPort: 9100,
      logLevel: 'debug',
      auth: { required: true },
    });
    expect(c.environments.map((e) => e.key)).toEqual(['production', 'staging']);
    expect(c.environments[0]!.source).toMatchObject({ pollIntervalMs: 10_000 });
    expect(defaultEnvironmentKey(c)).toBe('staging');
  });

  it('names every bad field, field and cross-field problems together', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        httpPort: 70000,
        logLevel: 'loud',
        environments: [
          { key: 'a b', source: { type: 'git' } },
          { key: 'x', source: { type: 'dir', path: 'x' } },
          { key: 'x', source: { type: 'dir', path: 'y' } },
        ],
        auth: { tokens: [{ environments: ['zzz'] }] },
      }),
    );
    let issues = '';
    try {
      loadServeConfig(['--config', file], noEnv);
    } catch (e) {
      issues = (e as ConfigError).issues.join('\n');
    }
    for (const path of [
      'httpPort',
      'logLevel',
      'environments.0.key',
      'environments.0.source.url',
      'environments.2.key: duplicate',
      'auth.tokens.0: set exactly one',
      'auth.tokens.0.environments: unknown environment "zzz"',
    ])
      expect(issues).toContain(path);
  });

  it('rejects ambiguous or missing sources and bad durations', () => {
    expect(() => loadServeConfig(['--dir', 'a', '--git', 'b', '--no-auth'], noEnv)).toThrow(
      ConfigError,
    );
    expect(() => loadServeConfig(['--no-auth'], noEnv)).toThrow(/no source/);
    expect(() => loadServeConfig(['--git', 'x', '--poll', 'soon', '--no-auth'], noEnv)).toThrow(
      /invalid duration/,
    );
    expect(() => loadServeConfig(['--bogus'], noEnv)).toThrow(ConfigError);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('250')).toBe(250);
  });
});

describe('switchyard serve --instance-id (usage interval)', () => {
  const base = ['--instance-id', 'i1', '--control-plane', 'grpc://127.0.0.1:9100'];
  const env = { SWITCHYARD_INSTANCE_TOKEN: 'secret' };

  it('sends evaluation counts every 5 s unless told otherwise (flag, then variable)', () => {
    expect(loadInstanceModeConfig(base, env).usageIntervalMs).toBe(5_000);
    expect(loadInstanceModeConfig([...base, '--usage-interval', '2s'], env).usageIntervalMs).toBe(
      2_000,
    );
    expect(
      loadInstanceModeConfig(base, { ...env, SWITCHYARD_USAGE_INTERVAL: '750ms' }).usageIntervalMs,
    ).toBe(750);
  });

  it('names a bad interval', () => {
    expect(() => loadInstanceModeConfig([...base, '--usage-interval', 'soon'], env)).toThrow(
      /usage-interval: a duration/,
    );
    expect(() => loadInstanceModeConfig([...base, '--usage-interval', '20ms'], env)).toThrow(
      /usage-interval: between 100ms and 10m/,
    );
  });
});
