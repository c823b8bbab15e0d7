/**
 * Turns `switchyard serve` arguments, an optional config file and `SWITCHYARD_*` variables into
 * one validated InstanceConfig. This is the only module that reads `process.env`.
 * Precedence: CLI flags > environment variables > config file > defaults.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError, parseInstanceConfig, type InstanceConfig } from './instance-config.js';
import { parseDuration, parseServeArgs, port, type SERVE_OPTIONS } from './instance-mode-config.js';

export {
  SERVE_OPTIONS,
  isInstanceMode,
  loadInstanceModeConfig,
  parseDuration,
  parseServeArgs,
  type InstanceModeConfig,
} from './instance-mode-config.js';

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
