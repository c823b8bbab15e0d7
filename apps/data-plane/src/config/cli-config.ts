/**
 * Turns `switchyard serve` arguments, an optional config file and `SWITCHYARD_*` variables into
 * one validated InstanceConfig. This is the only module that reads `process.env`.
 * Precedence: CLI flags > environment variables > config file > defaults.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ConfigError, parseInstanceConfig, type InstanceConfig } from './instance-config.js';

/** Options of `switchyard serve`, as node:util parseArgs declares them. */
export const SERVE_OPTIONS = {
  dir: { type: 'string' },
  git: { type: 'string' },
  branch: { type: 'string' },
  directory: { type: 'string' },
  poll: { type: 'string' },
  upstream: { type: 'string' },
  'upstream-token': { type: 'string' },
  environment: { type: 'string' },
  config: { type: 'string' },
  host: { type: 'string' },
  'http-port': { type: 'string' },
  'grpc-port': { type: 'string' },
  'data-dir': { type: 'string' },
  'log-level': { type: 'string' },
  token: { type: 'string', multiple: true },
  'no-auth': { type: 'boolean' },
  'trust-edge-header': { type: 'boolean' },
  'instance-id': { type: 'string' },
  'control-plane': { type: 'string' },
  'instance-token': { type: 'string' },
  'allow-origin': { type: 'string', multiple: true },
  'usage-interval': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** How one `serve` option is documented (docs/self-hosting.md is generated from this). */
export interface ServeOptionDoc {
  /** The option's value as shown in usage, e.g. `DIR`. */
  value?: string;
  /** The environment variable that sets it too. */
  env?: string;
  default: string;
  description: string;
}

/** Every `serve` option, documented; `npm run generate:docs` renders this table. */
export const SERVE_OPTION_DOCS: Record<keyof typeof SERVE_OPTIONS, ServeOptionDoc> = {
  dir: {
    value: 'DIR',
    default: 'none',
    description: 'serve a local directory, reloaded on change (also the first positional argument)',
  },
  git: { value: 'URL', default: 'none', description: 'serve a git repository, polled' },
  branch: { value: 'NAME', default: '`main`', description: 'git: the branch to serve' },
  directory: {
    value: 'PATH',
    default: 'the root',
    description: 'git: the sub-directory holding the flag files',
  },
  poll: {
    value: 'DURATION',
    default: '`10s` (git), `30s` (upstream)',
    description:
      'time between fetches or polls (`500ms`, `10s`, `1m`; a bare number is milliseconds)',
  },
  upstream: {
    value: 'URL',
    default: 'none',
    description: 'mirror another instance or environment URL',
  },
  'upstream-token': {
    value: 'TOKEN',
    default: 'none',
    description: 'upstream: the client token presented to it',
  },
  environment: {
    value: 'KEY',
    default: '`default`',
    description: 'the environment key of a single source; upstream: the environment mirrored',
  },
  config: {
    value: 'FILE',
    env: 'SWITCHYARD_CONFIG',
    default: 'none',
    description: 'a YAML or JSON config file (several environments, scoped tokens)',
  },
  host: {
    value: 'H',
    env: 'SWITCHYARD_HOST',
    default: '`0.0.0.0`',
    description: 'bind address (use `127.0.0.1` locally)',
  },
  'http-port': {
    value: 'N',
    env: 'SWITCHYARD_HTTP_PORT',
    default: '8080',
    description: 'REST, OFREP and snapshot port; 0 picks a free port',
  },
  'grpc-port': {
    value: 'N',
    env: 'SWITCHYARD_GRPC_PORT',
    default: '9000',
    description: 'gRPC port; 0 picks a free port',
  },
  'data-dir': {
    value: 'DIR',
    env: 'SWITCHYARD_DATA_DIR',
    default: '`.switchyard`',
    description: 'where the last good snapshots are kept',
  },
  'log-level': {
    value: 'L',
    env: 'SWITCHYARD_LOG_LEVEL',
    default: '`info`',
    description: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`',
  },
  token: {
    value: 'T',
    env: 'SWITCHYARD_TOKEN',
    default: 'none',
    description: 'a static client token, repeatable (the variable adds one)',
  },
  'no-auth': {
    env: 'SWITCHYARD_NO_AUTH',
    default: 'auth required',
    description: 'serve without authentication (`SWITCHYARD_NO_AUTH=1`); an explicit opt-out',
  },
  'trust-edge-header': {
    default: 'off',
    description: 'honour `X-Switchyard-Edge-Environment`; only behind the Switchyard edge',
  },
  'instance-id': {
    value: 'ID',
    env: 'SWITCHYARD_INSTANCE_ID',
    default: 'none',
    description: 'instance mode: configuration comes from the control plane',
  },
  'control-plane': {
    value: 'URL',
    env: 'SWITCHYARD_CONTROL_PLANE',
    default: 'none',
    description: 'instance mode: `grpc://host:port` of the internal service',
  },
  'instance-token': {
    value: 'T',
    env: 'SWITCHYARD_INSTANCE_TOKEN',
    default: 'none',
    description:
      'instance mode: the instance credential (prefer the variable: it stays out of `ps`)',
  },
  'usage-interval': {
    value: 'DURATION',
    env: 'SWITCHYARD_USAGE_INTERVAL',
    default: '`5s`',
    description:
      'instance mode: how often evaluation counts are sent to the control plane (100ms to 10m)',
  },
  'allow-origin': {
    value: 'ORIGIN',
    env: 'SWITCHYARD_ALLOWED_ORIGINS',
    default: 'none',
    description:
      'an exact origin a git source may reach on a loopback or private address, repeatable (the variable is comma-separated)',
  },
  help: { default: 'off', description: 'print usage' },
};

/** Parses "10s", "500ms", "2m" or a number of milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new ConfigError([`invalid duration "${text}" (use e.g. 500ms, 10s, 1m)`]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[
    (m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'
  ];
  return Math.round(Number(m[1]) * unit);
}

function port(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n)) throw new ConfigError([`${name}: must be an integer, got "${text}"`]);
  return n;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([`config file ${path}: ${(e as Error).message}`]);
  }
  try {
    const parsed: unknown = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('must be a mapping');
    return parsed as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError([`config file ${path}: ${(e as Error).message}`]);
  }
}

type ServeValues = ReturnType<typeof parseServeArgs>['values'];

/** Parses `serve` argv (without the subcommand). A positional argument is the flag directory. */
export function parseServeArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: SERVE_OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new ConfigError([(e as Error).message]);
  }
}

function sourceFromArgs(
  v: ServeValues,
  positional: string | undefined,
): Record<string, unknown> | undefined {
  const dir = v.dir ?? positional;
  const chosen = [dir, v.git, v.upstream].filter((x) => x !== undefined).length;
  if (chosen > 1) throw new ConfigError(['choose one source: --dir, --git or --upstream']);
  if (dir !== undefined) return { type: 'dir', path: dir, watch: true };
  const poll = v.poll !== undefined ? parseDuration(v.poll) : undefined;
  if (v.git !== undefined)
    return {
      type: 'git',
      url: v.git,
      branch: v.branch ?? 'main',
      directory: v.directory,
      pollIntervalMs: poll ?? 10_000,
    };
  if (v.upstream !== undefined)
    return {
      type: 'upstream',
      url: v.upstream,
      token: v['upstream-token'],
      environment: v.environment ?? 'default',
      pollIntervalMs: poll ?? 30_000,
    };
  return undefined;
}

/** Builds the validated configuration from argv and the process environment. */
export function loadServeConfig(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): InstanceConfig {
  const { values: v, positionals } = parseServeArgs(argv);
  const file = v.config ?? env.SWITCHYARD_CONFIG;
  const raw: Record<string, unknown> = file !== undefined ? readConfigFile(file) : {};
  const source = sourceFromArgs(v, positionals[0]);
  if (source) raw.environments = [{ key: v.environment ?? 'default', default: true, source }];
  const set = (key: string, value: unknown) => {
    if (value !== undefined) raw[key] = value;
  };
  set('host', v.host ?? env.SWITCHYARD_HOST);
  set('httpPort', port(v['http-port'] ?? env.SWITCHYARD_HTTP_PORT, 'http-port'));
  set('grpcPort', port(v['grpc-port'] ?? env.SWITCHYARD_GRPC_PORT, 'grpc-port'));
  set('dataDir', v['data-dir'] ?? env.SWITCHYARD_DATA_DIR);
  set('logLevel', v['log-level'] ?? env.SWITCHYARD_LOG_LEVEL);
  if (v['trust-edge-header']) raw.trustEdgeHeader = true;
  // Private git hosts are reachable by exact origin only (flag repeatable; the variable comma-separated).
  const origins = [
    ...(v['allow-origin'] ?? []),
    ...(env.SWITCHYARD_ALLOWED_ORIGINS?.split(',').filter((o) => o.trim() !== '') ?? []),
  ];
  if (origins.length > 0)
    raw.allowedOrigins = [...((raw.allowedOrigins as unknown[] | undefined) ?? []), ...origins];
  const auth = { ...((raw.auth as Record<string, unknown> | undefined) ?? {}) };
  const cliTokens = [...(v.token ?? []), ...(env.SWITCHYARD_TOKEN ? [env.SWITCHYARD_TOKEN] : [])];
  if (cliTokens.length > 0)
    auth.tokens = [
      ...((auth.tokens as unknown[] | undefined) ?? []),
      ...cliTokens.map((token) => ({ token, environments: '*' })),
    ];
  if (v['no-auth'] || env.SWITCHYARD_NO_AUTH === '1' || env.SWITCHYARD_NO_AUTH === 'true')
    auth.required = false;
  raw.auth = auth;
  if (raw.environments === undefined)
    throw new ConfigError(['no source: pass a directory, --dir, --git, --upstream or --config']);
  return parseInstanceConfig(raw);
}

/** Settings of `switchyard serve --instance-id …` (instance mode: configuration comes from the control plane). */
export interface InstanceModeConfig {
  instanceId: string;
  controlPlaneUrl: string;
  secret: string;
  host: string;
  httpPort: number;
  grpcPort: number;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Period of evaluation-count batches to the control plane. */
  usageIntervalMs: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** True when argv selects instance mode. */
export function isInstanceMode(argv: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    argv.some((a) => a === '--instance-id' || a.startsWith('--instance-id=')) ||
    Boolean(env.SWITCHYARD_INSTANCE_ID)
  );
}

/**
 * Validates instance-mode arguments. The credential may come from `--instance-token` or, better
 * (it then stays out of `ps`), from SWITCHYARD_INSTANCE_TOKEN.
 */
export function loadInstanceModeConfig(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): InstanceModeConfig {
  const { values: v, positionals } = parseServeArgs(argv);
  const issues: string[] = [];
  const instanceId = v['instance-id'] ?? env.SWITCHYARD_INSTANCE_ID ?? '';
  const controlPlaneUrl = v['control-plane'] ?? env.SWITCHYARD_CONTROL_PLANE ?? '';
  const secret = v['instance-token'] ?? env.SWITCHYARD_INSTANCE_TOKEN ?? '';
  if (!/^[-A-Za-z0-9_]{1,64}$/.test(instanceId))
    issues.push('instance-id: required, letters, digits, - and _ only');
  if (!/^grpcs?:\/\/[^/]+$/.test(controlPlaneUrl))
    issues.push('control-plane: required, grpc://host:port or grpcs://host:port');
  if (!secret) issues.push('instance-token: required (or SWITCHYARD_INSTANCE_TOKEN)');
  if (positionals.length > 0 || v.dir || v.git || v.upstream || v.config)
    issues.push(
      'instance mode takes its sources from the control plane: no DIR, --dir, --git, --upstream or --config',
    );
  const logLevel = v['log-level'] ?? env.SWITCHYARD_LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    issues.push(`log-level: must be one of ${LOG_LEVELS.join('|')}`);
  const httpPort = port(v['http-port'] ?? env.SWITCHYARD_HTTP_PORT, 'http-port') ?? 8080;
  const grpcPort = port(v['grpc-port'] ?? env.SWITCHYARD_GRPC_PORT, 'grpc-port') ?? 9000;
  const usageText = v['usage-interval'] ?? env.SWITCHYARD_USAGE_INTERVAL;
  let usageIntervalMs = 5_000;
  if (usageText !== undefined) {
    try {
      usageIntervalMs = parseDuration(usageText);
    } catch {
      issues.push(`usage-interval: a duration such as 5s or 500ms, got "${usageText}"`);
    }
    if (usageIntervalMs < 100 || usageIntervalMs > 600_000)
      issues.push('usage-interval: between 100ms and 10m');
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    usageIntervalMs,
    instanceId,
    controlPlaneUrl,
    secret,
    host: v.host ?? env.SWITCHYARD_HOST ?? '0.0.0.0',
    httpPort,
    grpcPort,
    dataDir: v['data-dir'] ?? env.SWITCHYARD_DATA_DIR ?? '.switchyard',
    logLevel: logLevel as InstanceModeConfig['logLevel'],
  };
}
