/**
 * The edge's configuration, validated once at boot (every bad variable is named). The only
 * module that reads the environment.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Every variable with its default and meaning (`.describe()`, or `.meta({ description, docDefault })`
 * when the effective default depends on the machine): docs/operations.md's reference is generated
 * from this (`npm run generate:docs`), and a test fails when they differ.
 */
export const edgeConfigSchema = z.object({
  EDGE_HOST: z.string().min(1).default('127.0.0.1').describe('bind address'),
  EDGE_PORT: z.coerce.number().int().min(0).max(65535).default(8088).describe('port'),
  CONTROL_PLANE_GRPC_URL: z
    .string()
    .regex(/^grpcs?:\/\/[^/]+$/, 'must be grpc://host:port')
    .default('grpc://127.0.0.1:9100')
    .describe("the control plane's internal gRPC service, where the route table comes from"),
  EDGE_TOKEN: z
    .string()
    .min(24, 'must be at least 24 characters')
    .describe("at least 24 characters; the same as the control plane's"),
  EVAL_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/)
    .optional()
    .describe(
      'host-form routing `{env}.{org}.<EVAL_DOMAIN>`; the path form `/e/{org}/{env}/…` always works',
    ),
  EDGE_DATA_DIR: z.string().min(1).default(join(tmpdir(), 'switchyard-edge')).meta({
    description:
      'where the last route table is kept (survives a control-plane outage and a restart)',
    docDefault: '`<tmp>/switchyard-edge`',
  }),
  ROUTE_REFRESH_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(1_000)
    .describe('route table refresh'),
  EDGE_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.union([z.ipv4(), z.ipv6()], 'must be a comma-separated list of IP addresses')))
    .describe(
      'comma-separated exact IPs of proxies in front of the edge whose `X-Forwarded-For/-Proto/-Host` are believed and extended; empty: the edge overwrites them',
    ),
  EDGE_MAX_URL_BYTES: z.coerce
    .number()
    .int()
    .min(256)
    .max(16 * 1024)
    .default(8 * 1024)
    .describe('longest request URL (path and query) in bytes; longer is 414'),
  EDGE_WAKE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(15_000)
    .describe(
      'how long a request to a sleeping organisation is held while its instance wakes; then 503 with `Retry-After`',
    ),
  EDGE_WAKE_QUEUE: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(1_000)
    .describe(
      'most requests held at once across sleeping organisations; more are answered 503 with `Retry-After` at once',
    ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('log level'),
});

/** Validated edge configuration. */
export interface EdgeConfig {
  host: string;
  port: number;
  controlPlaneUrl: string;
  token: string;
  evalDomain: string | undefined;
  dataDir: string;
  refreshMs: number;
  trustedProxies: string[];
  maxUrlBytes: number;
  wakeTimeoutMs: number;
  wakeQueue: number;
  logLevel: string;
}

/** Thrown at boot with every bad variable named. */
export class EdgeConfigError extends Error {
  override readonly name = 'EdgeConfigError';
}

/** Parses the environment once. */
export function loadEdgeConfig(env: Readonly<Record<string, string | undefined>>): EdgeConfig {
  const r = edgeConfigSchema.safeParse(env);
  if (!r.success)
    throw new EdgeConfigError(
      `invalid configuration:\n${r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  const c = r.data;
  return {
    host: c.EDGE_HOST,
    port: c.EDGE_PORT,
    controlPlaneUrl: c.CONTROL_PLANE_GRPC_URL,
    token: c.EDGE_TOKEN,
    evalDomain: c.EVAL_DOMAIN,
    dataDir: c.EDGE_DATA_DIR,
    refreshMs: c.ROUTE_REFRESH_MS,
    trustedProxies: c.EDGE_TRUSTED_PROXIES,
    maxUrlBytes: c.EDGE_MAX_URL_BYTES,
    wakeTimeoutMs: c.EDGE_WAKE_TIMEOUT_MS,
    wakeQueue: c.EDGE_WAKE_QUEUE,
    logLevel: c.LOG_LEVEL,
  };
}
