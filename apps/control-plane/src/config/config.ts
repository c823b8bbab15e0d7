import { randomUUID } from 'node:crypto';
import { isIP, isIPv4, isIPv6 } from 'node:net';
import { join, resolve } from 'node:path';
import { parseAllowedOrigins } from '@switchyard/git-store';
import { z } from 'zod';
import {
  provisioningEnvShape,
  toProvisioningConfig,
  type ProvisioningConfig,
} from './provisioning.config.js';

const DEV_SECRET = 'switchyard-development-secret-do-not-use-in-production';

/**
 * Every variable, its default and its meaning (`.describe()`, or `.meta({ description, docDefault })`
 * when the effective default is derived): docs/operations.md's reference is generated from this
 * (`npm run generate:docs`), and a test fails when they differ.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development').describe('mode'),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .default('postgresql://postgres@127.0.0.1:5432/switchyard')
    .describe('PostgreSQL URL (`postgres://` or `postgresql://`)'),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/ })
    .default('redis://127.0.0.1:6379')
    .describe('Redis URL (`redis://` or `rediss://`)'),
  HOST: z.string().min(1).default('127.0.0.1').describe('bind address of the API'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('API port'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('log level'),
  SWITCHYARD_SECRET: z.string().min(32, 'must be at least 32 characters').optional().meta({
    description:
      'root secret, at least 32 characters; required when `NODE_ENV=production`; encryption (git credentials, idempotent responses) and CSRF keys derive from it',
    docDefault: 'none (a fixed development secret outside production)',
  }),
  ALLOWED_ORIGINS: z
    .string()
    .default(
      'http://localhost:3001,http://127.0.0.1:3001,http://localhost:3000,http://127.0.0.1:3000',
    )
    .describe('comma-separated exact origins allowed to send cookie-authenticated mutations'),
  SESSION_IDLE_TIMEOUT_MINUTES: z.coerce
    .number()
    .int()
    .positive()
    .default(60)
    .describe('session idle timeout'),
  SESSION_ABSOLUTE_TIMEOUT_HOURS: z.coerce
    .number()
    .int()
    .positive()
    .default(12)
    .describe('session lifetime'),
  SWITCHYARD_DATA_DIR: z
    .string()
    .min(1)
    .default('.switchyard/data')
    .describe(
      'the one root of the state on disk (with PostgreSQL, everything a backup holds): hosted repositories under `git/hosted`, mirrors under `git/mirrors`, local instances under `instances`; relative to the working directory, never the OS temp directory',
    ),
  GIT_DATA_DIR: z.string().min(1).optional().meta({
    description: 'overrides where hosted bare repositories and external-remote mirrors live',
    docDefault: '`<SWITCHYARD_DATA_DIR>/git`',
  }),
  OUTBOUND_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .describe(
      "comma-separated exact origins (`scheme://host:port`) on loopback, private or special-purpose addresses that the control plane and its instances may reach (a self-hosted git server or IdP on a private network, the dev IdP); everything else must resolve to public addresses only, in every mode (libs/git-store's address policy)",
    ),
  GIT_ALLOW_HTTP: z
    .enum(['true', 'false'])
    .default('false')
    .describe('whether tenant git URLs may use plain `http://`'),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:3000')
    .describe(
      "public base URL of this API as browsers reach it (the console's origin); SSO callback URLs are built from it",
    ),
  PLATFORM_OIDC_ISSUER: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('platform-wide OpenID login: the issuer (all three `PLATFORM_OIDC_*` or none)'),
  PLATFORM_OIDC_CLIENT_ID: z
    .string()
    .min(1)
    .optional()
    .describe('platform-wide OpenID login: the client id'),
  PLATFORM_OIDC_CLIENT_SECRET: z
    .string()
    .min(1)
    .optional()
    .describe('platform-wide OpenID login: the client secret'),
  POST_LOGOUT_REDIRECT_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      description: 'where the IdP sends the browser after logout (must be registered at the IdP)',
      docDefault: '`<PUBLIC_URL>/`',
    }),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .positive()
    .default(30)
    .describe('requests per minute and client IP on `/api/v1/auth/*`'),
  DNS_RESOLVERS: z.string().default('').meta({
    description:
      'comma-separated DNS servers (`ip`, `ip:port`, `[ipv6]:port`) for domain verification',
    docDefault: 'empty (the system resolver)',
  }),
  AUTH_RATE_LIMIT_PER_CONNECTION_PER_MINUTE: z.coerce
    .number()
    .int()
    .positive()
    .default(300)
    .describe(
      "requests per minute on `/api/v1/auth/*` for one organisation's SSO connection, from all IPs together",
    ),
  TOKEN_RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .positive()
    .default(20)
    .describe('credential-minting requests (PATs, client tokens) per minute and client IP'),
  TOKEN_RATE_LIMIT_PER_SCOPE_PER_MINUTE: z.coerce
    .number()
    .int()
    .positive()
    .default(60)
    .describe(
      'credential-minting requests per minute for one organisation (client tokens) or one user (PATs)',
    ),
  TRUST_PROXY: z
    .string()
    .default('')
    .describe(
      'comma-separated addresses or CIDRs of reverse proxies / load balancers in front of the API: from them (only) the client address is taken from `X-Forwarded-For`, so per-IP limits see the real client; empty: the socket address, and `X-Forwarded-For` is ignored',
    ),
  RATE_LIMIT_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, '1-64 of A-Z a-z 0-9 : _ -')
    .optional()
    .meta({
      description:
        'Redis key prefix of the shared rate-limit counters (replicas that share budgets share it)',
      docDefault: '`switchyard:rl`',
    }),
  CHANGE_EVENTS_CHANNEL: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,128}$/, '1-128 of A-Z a-z 0-9 : _ -')
    .optional()
    .meta({
      description:
        'Redis pub/sub channel on which control-plane replicas share change events (all replicas of one deployment must use the same)',
      docDefault: '`switchyard:changes`',
    }),
  EVENT_STREAM_HEARTBEAT_MS: z.coerce
    .number()
    .int()
    .min(50)
    .max(120_000)
    .default(15_000)
    .describe(
      "heartbeat (comment line) period of the console's event streams, so proxies keep them open",
    ),
  IDEMPOTENCY_RETENTION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24)
    .describe('how long idempotency keys are remembered (at most 720); older records are purged'),
  IDEMPOTENCY_PURGE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(15 * 60_000)
    .describe('how often each replica purges expired idempotency records'),
  SCHEDULER_SWEEP_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(30_000)
    .describe(
      'how often a worker looks for scheduled changes that are due and have no queue job (missed while no worker ran)',
    ),
  SCHEDULER_LEASE_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(120_000)
    .describe(
      'a scheduled change claimed longer ago than this by a worker that did not finish (killed) is taken over by another',
    ),
  SCHEDULER_CRASH_AFTER: z
    .enum(['commit'])
    .optional()
    .describe(
      'test-only fault injection: the worker SIGKILLs itself right after committing a scheduled change, before recording it; ignored in production',
    ),
  WORKER_ROLES: z
    .string()
    .regex(
      /^(provisioning|scheduler)(,(provisioning|scheduler))*$/,
      'provisioning and/or scheduler, comma-separated',
    )
    .default('provisioning,scheduler')
    .describe(
      'what `node dist/worker.js` runs: `provisioning` (provisioning, idle sleep, outbound webhooks, usage rollup), `scheduler` (scheduled changes), or both',
    ),
  USAGE_MINUTE_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(2)
    .max(24 * 14)
    .default(48)
    .describe(
      'how long per-minute evaluation counts are kept (hour and day rows are rolled up from them)',
    ),
  USAGE_HOUR_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(2)
    .max(400)
    .default(35)
    .describe('how long per-hour evaluation counts are kept'),
  USAGE_DAY_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(2)
    .max(3_650)
    .default(400)
    .describe('how long per-day evaluation counts are kept'),
  USAGE_ROLLUP_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(60_000)
    .describe(
      'how often the worker rolls minute counts up to hours and days and applies retention',
    ),
  STALE_AFTER_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .describe('default N of stale flags: not evaluated, or serving one value only, for N days'),
  ...provisioningEnvShape,
});

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Cross-field rules, checked on the raw input so they are reported together with type errors. */
function extraIssues(env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  if (env['NODE_ENV'] === 'production' && !env['SWITCHYARD_SECRET'])
    out.push('  SWITCHYARD_SECRET: is required in production');
  const platform = [
    'PLATFORM_OIDC_ISSUER',
    'PLATFORM_OIDC_CLIENT_ID',
    'PLATFORM_OIDC_CLIENT_SECRET',
  ];
  const set = platform.filter((k) => env[k]);
  if (set.length > 0 && set.length < platform.length)
    out.push(
      `  ${platform.filter((k) => !env[k]).join(', ')}: required when ${set.join(', ')} is set`,
    );
  for (const problem of parseAllowedOrigins(env['OUTBOUND_ALLOWED_ORIGINS'] ?? '').problems)
    out.push(`  OUTBOUND_ALLOWED_ORIGINS: ${problem}`);
  for (const removed of ['GIT_ALLOW_PRIVATE_HOSTS', 'INSTANCE_GIT_ALLOW_PRIVATE_HOSTS']) {
    if (env[removed] !== undefined)
      out.push(
        `  ${removed}: removed; list the exact origins (scheme://host:port) in OUTBOUND_ALLOWED_ORIGINS instead`,
      );
  }
  for (const proxy of splitList(env['TRUST_PROXY'])) {
    const [address, bits, extra] = proxy.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      extra !== undefined ||
      (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits))
    )
      out.push(`  TRUST_PROXY: "${proxy}" is not an IP address or CIDR`);
  }
  for (const origin of (env['ALLOWED_ORIGINS'] ?? '').split(',').filter(Boolean)) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin)
      out.push(`  ALLOWED_ORIGINS: "${origin}" is not an exact origin`);
  }
  for (const server of (env['DNS_RESOLVERS'] ?? '').split(',').filter(Boolean)) {
    if (parseDnsServer(server) === null)
      out.push(
        `  DNS_RESOLVERS: "${server}" is not an IP address with an optional port (1.2.3.4, 1.2.3.4:53, [::1]:53)`,
      );
  }
  return out;
}

/** `ip`, `ip:port` or `[ipv6]:port` in the form `dns.Resolver#setServers` takes; null when malformed. */
function parseDnsServer(value: string): string | null {
  const v = value.trim();
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)|([0-9a-fA-F:]+))(?::(\d{1,5}))?$/.exec(v);
  if (!m) return null;
  const ip = m[1] ?? m[2] ?? m[3]!;
  const port = m[4] === undefined ? null : Number(m[4]);
  if ((m[2] !== undefined && isIPv4(ip) === false) || (m[2] === undefined && !isIPv6(ip)))
    return null;
  if (m[3] !== undefined && m[4] !== undefined) return null; // a bare IPv6 address cannot carry a port
  if (port !== null && (port < 1 || port > 65535)) return null;
  if (port === null) return ip;
  return m[1] !== undefined ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The control plane's validated configuration. */
export interface AppConfig {
  env: 'development' | 'test' | 'production';
  databaseUrl: string;
  redisUrl: string;
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  secret: string;
  allowedOrigins: readonly string[];
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  /** The root of all state on disk (absolute). */
  dataDir: string;
  /** Git storage: data directory (absolute) and whether tenant remotes may use plain http. */
  git: { dataDir: string; allowHttp: boolean };
  /** The address policy of every outbound connection (git remotes, SSO, instances' git sources). */
  outbound: { allowedOrigins: readonly string[] };
  /** Public base URL (no trailing slash). */
  publicUrl: string;
  /** The platform-wide login connection, when configured. */
  platformOidc: { issuer: string; clientId: string; clientSecret: string } | null;
  postLogoutRedirectUrl: string;
  authRateLimitPerMinute: number;
  /** DNS servers for domain verification (`setServers` form); empty: the system resolver. */
  dnsResolvers: readonly string[];
  /** Reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs; empty: none). */
  trustProxy: readonly string[];
  /** Shared (Redis) rate limits: per client IP and per organisation/connection/user, per minute. */
  rateLimits: RateLimitConfig;
  /** Redis pub/sub channel of the change events shared by the replicas. */
  changeEventsChannel: string;
  /** Heartbeat period of the console's event streams. */
  eventStreamHeartbeatMs: number;
  /** Idempotency records: retention and purge period. */
  idempotency: { retentionMs: number; purgeIntervalMs: number };
  scheduler: {
    sweepIntervalMs: number;
    leaseMs: number;
    crashAfter: 'commit' | undefined;
    /** What the worker process runs. */
    roles: ReadonlySet<'provisioning' | 'scheduler'>;
  };
  /** Evaluation counts: retention per granularity, rollup period, default stale threshold. */
  usage: {
    minuteRetentionMs: number;
    hourRetentionMs: number;
    dayRetentionMs: number;
    rollupIntervalMs: number;
    staleAfterDays: number;
  };
  /** Instances, workers, internal gRPC and environment URLs. */
  provisioning: ProvisioningConfig;
}

/** Budgets of the rate-limited routes, per one-minute window. */
export interface RateLimitConfig {
  keyPrefix: string;
  /** `/api/v1/auth/*`: per IP, and per organisation SSO connection. */
  auth: { perIp: number; perScope: number };
  /** Credential-minting endpoints: per IP, and per organisation or user. */
  token: { perIp: number; perScope: number };
}

/** Thrown at boot with every bad variable named. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates the environment once at boot; the only place that interprets environment variables. */
export function loadConfig(input: Readonly<Record<string, string | undefined>>): AppConfig {
  // Local instances keep their state under the data directory unless placed elsewhere explicitly.
  const root = resolve(input['SWITCHYARD_DATA_DIR'] || '.switchyard/data');
  const env = {
    ...input,
    INSTANCE_DATA_DIR: input['INSTANCE_DATA_DIR'] || join(root, 'instances'),
  };
  const parsed = configSchema.safeParse(env);
  const lines = [
    ...(parsed.error?.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`) ?? []),
    ...extraIssues(env),
  ];
  if (!parsed.success || lines.length > 0)
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  const c = parsed.data;
  return {
    env: c.NODE_ENV,
    databaseUrl: c.DATABASE_URL,
    redisUrl: c.REDIS_URL,
    host: c.HOST,
    port: c.PORT,
    logLevel: c.LOG_LEVEL,
    secret: c.SWITCHYARD_SECRET ?? DEV_SECRET,
    allowedOrigins: c.ALLOWED_ORIGINS.split(',').filter(Boolean),
    sessionIdleMs: c.SESSION_IDLE_TIMEOUT_MINUTES * 60_000,
    sessionAbsoluteMs: c.SESSION_ABSOLUTE_TIMEOUT_HOURS * 3_600_000,
    dataDir: resolve(c.SWITCHYARD_DATA_DIR),
    git: {
      dataDir: resolve(c.GIT_DATA_DIR ?? join(c.SWITCHYARD_DATA_DIR, 'git')),
      allowHttp: c.GIT_ALLOW_HTTP === 'true',
    },
    outbound: { allowedOrigins: parseAllowedOrigins(c.OUTBOUND_ALLOWED_ORIGINS).origins },
    publicUrl: c.PUBLIC_URL.replace(/\/+$/, ''),
    platformOidc:
      c.PLATFORM_OIDC_ISSUER && c.PLATFORM_OIDC_CLIENT_ID && c.PLATFORM_OIDC_CLIENT_SECRET
        ? {
            issuer: c.PLATFORM_OIDC_ISSUER,
            clientId: c.PLATFORM_OIDC_CLIENT_ID,
            clientSecret: c.PLATFORM_OIDC_CLIENT_SECRET,
          }
        : null,
    postLogoutRedirectUrl: c.POST_LOGOUT_REDIRECT_URL ?? `${c.PUBLIC_URL.replace(/\/+$/, '')}/`,
    authRateLimitPerMinute: c.AUTH_RATE_LIMIT_PER_MINUTE,
    dnsResolvers: c.DNS_RESOLVERS.split(',')
      .filter(Boolean)
      .map((s) => parseDnsServer(s)!),
    trustProxy: splitList(c.TRUST_PROXY),
    rateLimits: {
      // Tests get a fresh prefix per app (like port 0) so parallel suites never share budgets.
      keyPrefix:
        c.RATE_LIMIT_KEY_PREFIX ??
        (c.NODE_ENV === 'test' ? `switchyard-test-${randomUUID()}:rl` : 'switchyard:rl'),
      auth: {
        perIp: c.AUTH_RATE_LIMIT_PER_MINUTE,
        perScope: c.AUTH_RATE_LIMIT_PER_CONNECTION_PER_MINUTE,
      },
      token: {
        perIp: c.TOKEN_RATE_LIMIT_PER_MINUTE,
        perScope: c.TOKEN_RATE_LIMIT_PER_SCOPE_PER_MINUTE,
      },
    },
    // Tests get a fresh channel per app unless they name one (two replicas of one test share it).
    changeEventsChannel:
      c.CHANGE_EVENTS_CHANNEL ??
      (c.NODE_ENV === 'test' ? `switchyard-test-${randomUUID()}:changes` : 'switchyard:changes'),
    eventStreamHeartbeatMs: c.EVENT_STREAM_HEARTBEAT_MS,
    idempotency: {
      retentionMs: c.IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
      purgeIntervalMs: c.IDEMPOTENCY_PURGE_INTERVAL_MS,
    },
    scheduler: {
      sweepIntervalMs: c.SCHEDULER_SWEEP_INTERVAL_MS,
      leaseMs: c.SCHEDULER_LEASE_MS,
      crashAfter: c.NODE_ENV === 'production' ? undefined : c.SCHEDULER_CRASH_AFTER,
      roles: new Set(splitList(c.WORKER_ROLES) as ('provisioning' | 'scheduler')[]),
    },
    usage: {
      minuteRetentionMs: c.USAGE_MINUTE_RETENTION_HOURS * 3_600_000,
      hourRetentionMs: c.USAGE_HOUR_RETENTION_DAYS * 86_400_000,
      dayRetentionMs: c.USAGE_DAY_RETENTION_DAYS * 86_400_000,
      rollupIntervalMs: c.USAGE_ROLLUP_INTERVAL_MS,
      staleAfterDays: c.STALE_AFTER_DAYS,
    },
    provisioning: toProvisioningConfig(c, c.NODE_ENV),
  };
}
