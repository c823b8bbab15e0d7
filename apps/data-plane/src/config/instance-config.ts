/**
 * The instance configuration: what a data-plane process serves and how. Validated once at boot
 * with zod (every bad field is named); the sync engineer's sources and the transports read these
 * types and nothing else. Instance mode (control plane) will produce the same shape.
 */
import { parseAllowedOrigins } from '@switchyard/git-store';
import { z } from 'zod';
import { ConfigError } from './config-error.js';

export { ConfigError } from './config-error.js';
export { defaultEnvironmentKey } from './default-environment.js';

const durationMs = z.number().int().positive();

/** Exact origins, normalised to `scheme://host:port` by the one address policy (libs/git-store). */
const allowedOriginsSchema = z
  .array(z.string())
  .default([])
  .transform((list, ctx) => {
    const { origins, problems } = parseAllowedOrigins(list);
    for (const message of problems) ctx.addIssue({ code: 'custom', message });
    return origins;
  });

const dirSourceSchema = z.strictObject({
  type: z.literal('dir'),
  path: z.string().min(1).describe('the directory of flag files'),
  watch: z.boolean().default(true).describe('reload when a file changes'),
});

const gitSourceSchema = z.strictObject({
  type: z.literal('git'),
  url: z.string().min(1).describe('repository URL (https, http or file)'),
  branch: z.string().min(1).default('main').describe('branch to serve'),
  directory: z.string().min(1).optional().describe('sub-directory holding the flag files'),
  pollIntervalMs: durationMs.default(10_000).describe('milliseconds between fetches'),
  credentials: z
    .strictObject({
      username: z.string().optional().describe('HTTP basic user name'),
      password: z.string().optional().describe('HTTP basic password or access token'),
    })
    .optional()
    .describe('credentials for the repository'),
});

const upstreamSourceSchema = z.strictObject({
  type: z.literal('upstream'),
  url: z.string().url().describe('base URL of the instance (or environment URL) to mirror'),
  token: z.string().min(1).optional().describe('client token presented to the upstream'),
  environment: z.string().min(1).default('default').describe('upstream environment to mirror'),
  pollIntervalMs: durationMs
    .default(30_000)
    .describe('milliseconds between polls when the upstream cannot stream'),
});

/** Where one environment's flags come from. */
export const sourceConfigSchema = z.discriminatedUnion('type', [
  dirSourceSchema,
  gitSourceSchema,
  upstreamSourceSchema,
]);

const envKeySchema = z
  .string()
  .regex(/^[-_A-Za-z0-9]+$/, { message: 'must match ^[-_A-Za-z0-9]+$' });

/** One environment served by this instance. */
export const environmentConfigSchema = z.strictObject({
  key: envKeySchema.describe('environment key (`^[-_A-Za-z0-9]+$`), unique'),
  name: z.string().optional().describe('display name'),
  default: z
    .boolean()
    .optional()
    .describe('answers requests that name no environment (at most one; else the first)'),
  source: sourceConfigSchema.describe('where the flags come from, by `type`'),
});

/** A client token: plaintext (static, from CLI/config) or its SHA-256 hex (from the control plane). */
export const tokenConfigSchema = z
  .strictObject({
    name: z.string().optional().describe('label in logs and metrics'),
    token: z
      .string()
      .min(1)
      .optional()
      .describe('the token in plaintext (exactly one of token, sha256)'),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, { message: 'must be 64 hex characters' })
      .optional()
      .describe('SHA-256 of the token, 64 hex characters'),
    environments: z
      .union([z.literal('*'), z.array(envKeySchema).min(1)])
      .default('*')
      .describe('`"*"` or the environment keys the token may read'),
    namespaces: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('namespaces the token may read (all when absent)'),
  })
  .refine((t) => (t.token === undefined) !== (t.sha256 === undefined), {
    message: 'set exactly one of token or sha256',
  });

/** The whole instance configuration. */
export const instanceConfigSchema = z
  .strictObject({
    host: z.string().min(1).default('0.0.0.0').describe('bind address'),
    httpPort: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(8080)
      .describe('REST, OFREP and snapshot port; 0 picks a free port'),
    grpcPort: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(9000)
      .describe('gRPC port; 0 picks a free port'),
    dataDir: z
      .string()
      .min(1)
      .default('.switchyard')
      .describe('where the last good snapshot of each environment is kept'),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('log level'),
    trustEdgeHeader: z
      .boolean()
      .default(false)
      .describe(
        'honour `X-Switchyard-Edge-Environment` (set by the Switchyard edge); only enable behind the edge',
      ),
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024)
      .describe('largest accepted request body, in bytes'),
    shutdownGraceMs: z
      .number()
      .int()
      .min(0)
      .default(10_000)
      .describe('how long shutdown waits for in-flight requests before cutting connections'),
    auth: z
      .strictObject({
        required: z.boolean().default(true).describe('require a client token'),
        tokens: z.array(tokenConfigSchema).default([]).describe('client tokens'),
      })
      .default({ required: true, tokens: [] })
      .describe('client authentication'),
    environments: z
      .array(environmentConfigSchema)
      .min(1, { message: 'configure at least one environment' })
      .describe('the environments served (at least one)'),
    allowedOrigins: allowedOriginsSchema.describe(
      'exact origins (`scheme://host:port`) git sources may reach on loopback or private addresses',
    ),
  })
  .superRefine((c, ctx) => {
    for (const issue of crossFieldIssues(c)) ctx.addIssue({ code: 'custom', ...issue });
  });

interface LooseConfig {
  environments?: unknown;
  auth?: { required?: unknown; tokens?: unknown } | undefined;
}

/**
 * Checks across fields (duplicate keys, token scopes naming unknown environments, auth without
 * tokens). Tolerates partial input so it can also run when field validation already failed:
 * the operator sees every problem in one go.
 */
function crossFieldIssues(
  c: LooseConfig,
): Array<{ path: Array<string | number>; message: string }> {
  const issues: Array<{ path: Array<string | number>; message: string }> = [];
  const envs = Array.isArray(c.environments)
    ? (c.environments as Array<{ key?: unknown; default?: unknown } | null>)
    : [];
  const keys = new Set<string>();
  envs.forEach((e, i) => {
    if (typeof e?.key !== 'string') return;
    if (keys.has(e.key))
      issues.push({
        path: ['environments', i, 'key'],
        message: `duplicate environment "${e.key}"`,
      });
    keys.add(e.key);
  });
  if (envs.filter((e) => e?.default === true).length > 1)
    issues.push({ path: ['environments'], message: 'at most one environment may be the default' });
  const tokens = Array.isArray(c.auth?.tokens)
    ? (c.auth.tokens as Array<{ environments?: unknown } | null>)
    : [];
  if (c.auth?.required !== false && tokens.length === 0)
    issues.push({
      path: ['auth', 'tokens'],
      message:
        'auth is required but no token is configured: add a token (--token) or disable auth explicitly (--no-auth)',
    });
  tokens.forEach((t, i) => {
    if (Array.isArray(t?.environments))
      for (const e of t.environments as unknown[])
        if (typeof e === 'string' && !keys.has(e))
          issues.push({
            path: ['auth', 'tokens', i, 'environments'],
            message: `unknown environment "${e}"`,
          });
  });
  return issues;
}

/** Where one environment's flags come from. */
export type SourceConfig =
  | { type: 'dir'; path: string; watch: boolean }
  | {
      type: 'git';
      url: string;
      branch: string;
      directory?: string;
      pollIntervalMs: number;
      credentials?: { username?: string; password?: string };
    }
  | { type: 'upstream'; url: string; token?: string; environment: string; pollIntervalMs: number };

/** One environment served by this instance. */
export interface EnvironmentConfig {
  key: string;
  name?: string;
  default?: boolean;
  source: SourceConfig;
}

/** A client token and its scope. */
export interface TokenConfig {
  /** The control plane's token id (instance mode): usage is reported under it. */
  id?: string;
  name?: string;
  token?: string;
  /** SHA-256 of the token, hex. */
  sha256?: string;
  environments: string[] | '*';
  namespaces?: string[];
}

/** The whole instance configuration. */
export interface InstanceConfig {
  host: string;
  httpPort: number;
  grpcPort: number;
  dataDir: string;
  logLevel: string;
  trustEdgeHeader: boolean;
  maxBodyBytes: number;
  shutdownGraceMs: number;
  auth: { required: boolean; tokens: TokenConfig[] };
  environments: EnvironmentConfig[];
  /** Exact origins (`scheme://host:port`) git sources may reach on non-public addresses; default none. */
  allowedOrigins?: string[];
}

/** Validates a raw configuration object (file + CLI + environment merged) once. */
export function parseInstanceConfig(raw: unknown): InstanceConfig {
  const result = instanceConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const format = (path: ReadonlyArray<PropertyKey>, message: string) =>
    `${path.length ? path.map(String).join('.') : '(root)'}: ${message}`;
  const lines = result.error.issues.map((i) => format(i.path, i.message));
  // zod skips refinements once a field failed; run the cross-field checks on the raw input too.
  const loose = raw !== null && typeof raw === 'object' ? (raw as LooseConfig) : {};
  for (const i of crossFieldIssues(loose)) {
    const line = format(i.path, i.message);
    if (!lines.includes(line)) lines.push(line);
  }
  throw new ConfigError(lines);
}
