/**
 * Instance-mode settings (`switchyard serve --instance-id …`) and the `serve` argument parser
 * shared with cli-config.ts. Kept apart from the configuration-file path (zod schemas, yaml),
 * which an instance does not use: an instance loads only this.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from './config-error.js';

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
/** Parses "10s", "500ms", "2m" or a number of milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new ConfigError([`invalid duration "${text}" (use e.g. 500ms, 10s, 1m)`]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[
    (m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'
  ];
  return Math.round(Number(m[1]) * unit);
}

/** `text` as an integer port, or undefined when not given. */
export function port(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n)) throw new ConfigError([`${name}: must be an integer, got "${text}"`]);
  return n;
}

/** Parses `serve` argv (without the subcommand). A positional argument is the flag directory. */
export function parseServeArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: SERVE_OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new ConfigError([(e as Error).message]);
  }
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
