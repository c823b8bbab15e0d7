import { join, resolve } from 'node:path';
import { z } from 'zod';
import { provisioningEnvShape, toProvisioningConfig, type ProvisioningConfig } from '../provisioning/provisioning.config.js';

const DEV_SECRET = 'switchyard-development-secret-do-not-use-in-production';

const schema = z.object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgresql://postgres@127.0.0.1:5432/switchyard'),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Root secret: encryption (git credentials, idempotent responses) and CSRF keys derive from it. */
    SWITCHYARD_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Comma-separated exact origins allowed to send cookie-authenticated mutations. */
    ALLOWED_ORIGINS: z.string().default('http://localhost:3001,http://127.0.0.1:3001,http://localhost:3000,http://127.0.0.1:3000'),
    SESSION_IDLE_TIMEOUT_MINUTES: z.coerce.number().int().positive().default(60),
    SESSION_ABSOLUTE_TIMEOUT_HOURS: z.coerce.number().int().positive().default(12),
    /**
     * The one root of the control plane's state on disk (with PostgreSQL, everything a backup
     * holds): hosted repositories under `git/hosted`, mirrors under `git/mirrors`, local instances
     * under `instances`. Relative to the working directory; never the OS temp directory.
     */
    SWITCHYARD_DATA_DIR: z.string().min(1).default('.switchyard/data'),
    /** Overrides `<SWITCHYARD_DATA_DIR>/git`: hosted bare repositories and external-remote mirrors. */
    GIT_DATA_DIR: z.string().min(1).optional(),
    /** Operator switch: tenant git URLs may name loopback/private hosts (self-hosted git on a private network, tests). */
    GIT_ALLOW_PRIVATE_HOSTS: z.enum(['true', 'false']).default('false'),
    /** Operator switch: tenant git URLs may use plain http://. */
    GIT_ALLOW_HTTP: z.enum(['true', 'false']).default('false'),
    /** Public base URL of this API as browsers reach it: SSO callback URLs are built from it. */
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000'),
    /** Platform-wide OpenID login (all three or none). */
    PLATFORM_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
    PLATFORM_OIDC_CLIENT_ID: z.string().min(1).optional(),
    PLATFORM_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** Where the IdP sends the browser after logout (must be registered at the IdP); defaults to PUBLIC_URL. */
    POST_LOGOUT_REDIRECT_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Requests per minute and client IP on /api/v1/auth/*. */
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
    ...provisioningEnvShape,
});

/** Cross-field rules, checked on the raw input so they are reported together with type errors. */
function extraIssues(env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  if (env['NODE_ENV'] === 'production' && !env['SWITCHYARD_SECRET']) out.push('  SWITCHYARD_SECRET: is required in production');
  const platform = ['PLATFORM_OIDC_ISSUER', 'PLATFORM_OIDC_CLIENT_ID', 'PLATFORM_OIDC_CLIENT_SECRET'];
  const set = platform.filter((k) => env[k]);
  if (set.length > 0 && set.length < platform.length) out.push(`  ${platform.filter((k) => !env[k]).join(', ')}: required when ${set.join(', ')} is set`);
  for (const origin of (env['ALLOWED_ORIGINS'] ?? '').split(',').filter(Boolean)) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) out.push(`  ALLOWED_ORIGINS: "${origin}" is not an exact origin`);
  }
  return out;
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
  /** Git storage: data directory (absolute) and the SSRF policy for tenant remotes. */
  git: { dataDir: string; allowPrivateHosts: boolean; allowHttp: boolean };
  /** Public base URL (no trailing slash). */
  publicUrl: string;
  /** The platform-wide login connection, when configured. */
  platformOidc: { issuer: string; clientId: string; clientSecret: string } | null;
  postLogoutRedirectUrl: string;
  authRateLimitPerMinute: number;
  /** Instances, workers, internal gRPC and environment URLs. */
  provisioning: ProvisioningConfig;
}

/** Thrown at boot with every bad variable named. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates the environment once at boot; the only place that interprets environment variables. */
export function loadConfig(input: Readonly<Record<string, string | undefined>>): AppConfig {
  // Local instances keep their state under the data directory unless placed elsewhere explicitly.
  const root = resolve(input['SWITCHYARD_DATA_DIR'] || '.switchyard/data');
  const env = { ...input, INSTANCE_DATA_DIR: input['INSTANCE_DATA_DIR'] || join(root, 'instances') };
  const parsed = schema.safeParse(env);
  const lines = [...(parsed.error?.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`) ?? []), ...extraIssues(env)];
  if (!parsed.success || lines.length > 0) throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
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
    git: { dataDir: resolve(c.GIT_DATA_DIR ?? join(c.SWITCHYARD_DATA_DIR, 'git')), allowPrivateHosts: c.GIT_ALLOW_PRIVATE_HOSTS === 'true', allowHttp: c.GIT_ALLOW_HTTP === 'true' },
    publicUrl: c.PUBLIC_URL.replace(/\/+$/, ''),
    platformOidc:
      c.PLATFORM_OIDC_ISSUER && c.PLATFORM_OIDC_CLIENT_ID && c.PLATFORM_OIDC_CLIENT_SECRET
        ? { issuer: c.PLATFORM_OIDC_ISSUER, clientId: c.PLATFORM_OIDC_CLIENT_ID, clientSecret: c.PLATFORM_OIDC_CLIENT_SECRET }
        : null,
    postLogoutRedirectUrl: c.POST_LOGOUT_REDIRECT_URL ?? `${c.PUBLIC_URL.replace(/\/+$/, '')}/`,
    authRateLimitPerMinute: c.AUTH_RATE_LIMIT_PER_MINUTE,
    provisioning: toProvisioningConfig(c, c.NODE_ENV),
  };
}
