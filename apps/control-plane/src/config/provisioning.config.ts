/**
 * Provisioning settings: the variables are part of the control plane's one validated config
 * (config.ts merges this shape); a file of their own because only provisioning, the internal gRPC
 * service and the environment URLs read them. They live with the config, not in provisioning, so
 * that the config (which every feature reads) imports no feature.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** `<n>` (seconds) or `<n>ms|s|m|h`, as milliseconds. */
const duration = z
  .string()
  .trim()
  .regex(/^\d+(ms|s|m|h)?$/, 'must be a duration such as 900, 90s, 15m or 1h (0 = never)')
  .transform((v) => {
    const m = /^(\d+)(ms|s|m|h)?$/.exec(v)!;
    return Number(m[1]) * DURATION_UNITS_MS[(m[2] ?? 's') as keyof typeof DURATION_UNITS_MS];
  });

const portRange = z
  .string()
  .regex(/^\d{2,5}-\d{2,5}$/, 'must look like 18000-18999')
  .refine((r) => {
    const [lo, hi] = r.split('-').map(Number) as [number, number];
    return lo > 0 && hi < 65536 && hi - lo >= 1;
  }, 'must be an increasing range within 1-65535');

/**
 * Environment variables read for provisioning (all optional, with local defaults); described for
 * the generated configuration reference (see config.ts).
 */
export const provisioningEnvShape = {
  INTERNAL_GRPC_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe(
      'bind address of the internal gRPC service for data-plane instances and the edge (never public)',
    ),
  INTERNAL_GRPC_PORT: z.coerce.number().int().min(0).max(65535).optional().meta({
    description:
      'its port; 0 (any free port) under `NODE_ENV=test` so parallel test apps never collide',
    docDefault: '9100',
  }),
  CONTROL_PLANE_GRPC_URL: z
    .string()
    .regex(/^grpcs?:\/\/[^/]+$/, 'must be grpc://host:port')
    .default('grpc://127.0.0.1:9100')
    .describe('how instances reach that service (`grpc://` or `grpcs://`)'),
  EDGE_TOKEN: z.string().min(24).optional().meta({
    description:
      'shared secret of the edge router when it asks for the route table, at least 24 characters',
    docDefault: 'derived from `SWITCHYARD_SECRET`',
  }),
  PROVISIONING_DRIVER: z
    .enum(['local', 'kubernetes'])
    .default('local')
    .describe('how instances run: child processes or Kubernetes'),
  // The effective default is under SWITCHYARD_DATA_DIR (config.ts fills it in).
  INSTANCE_DATA_DIR: z.string().min(1).default(join(tmpdir(), 'switchyard-instances')).meta({
    description: 'local driver: instance data, logs and pid files',
    docDefault: '`<SWITCHYARD_DATA_DIR>/instances`',
  }),
  INSTANCE_PORT_RANGE: portRange
    .default('18000-18999')
    .describe('local driver: ports handed to instances (each takes two: HTTP and gRPC)'),
  INSTANCE_BINARY: z
    .string()
    .min(1)
    .default(fileURLToPath(new URL('../../../data-plane/dist/cli.js', import.meta.url)))
    .meta({
      description: 'local driver: the data-plane binary',
      docDefault: '`apps/data-plane/dist/cli.js`',
    }),
  INSTANCE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe("instances' log level"),
  KUBERNETES_API_URL: z
    .url()
    .optional()
    .meta({ description: 'Kubernetes driver: API server', docDefault: 'in-cluster value' }),
  KUBERNETES_NAMESPACE: z
    .string()
    .min(1)
    .default('switchyard')
    .describe('Kubernetes driver: namespace'),
  KUBERNETES_TOKEN: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Kubernetes driver: bearer token', docDefault: 'in-cluster value' }),
  INSTANCE_IMAGE: z
    .string()
    .min(1)
    .default('ghcr.io/switchyard/data-plane:latest')
    .describe('Kubernetes driver: the data-plane image'),
  KUBERNETES_INGRESS_CLASS: z
    .string()
    .min(1)
    .default('nginx')
    .describe('Kubernetes driver: Ingress class'),
  KUBERNETES_EDGE_SERVICE: z
    .string()
    .regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?:\d{1,5}$/,
      'a Service name and port, e.g. switchyard-edge:8088',
    )
    .default('switchyard-edge:8088')
    .describe(
      "Kubernetes driver: the edge's Service (`name:port`, in the instances' namespace) that a sleeping organisation's Ingresses route to, so that its next request wakes it",
    ),
  EDGE_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:8088')
    .describe('path-form environment URLs: `<EDGE_PUBLIC_URL>/e/{org}/{env}`'),
  EVAL_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d+)?$/, 'a DNS name')
    .optional()
    .describe('host-form environment URLs `https://{env}.{org}.<EVAL_DOMAIN>` when set'),
  RECONCILE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(15_000)
    .describe('worker reconcile interval'),
  INSTANCE_IDLE_SLEEP: duration.default(15 * 60_000).meta({
    description:
      "an organisation's instance that served no request for this long is stopped (local: the process exits; Kubernetes: the Deployment scales to 0) and woken by the next request to an environment URL; `<n>` seconds or `<n>ms|s|m|h`, 0 = never",
    docDefault: '`15m`',
  }),
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(250).describe('outbox poll interval'),
  WORKER_LOCK_DURATION_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(30_000)
    .describe("job lock duration (short in tests so a killed worker's job comes back fast)"),
  WORKER_STALLED_INTERVAL_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(30_000)
    .describe('stalled-job detection interval'),
  PROVISIONING_CRASH_AFTER: z
    .enum(['credentials', 'launched', 'ready'])
    .optional()
    .describe(
      'test-only fault injection: the worker SIGKILLs itself right after this provisioning step; ignored in production',
    ),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional()
    .meta({
      description:
        'queue name prefix of the provisioning and outbound-webhook queues (control plane and worker must share it); a fresh one per app under `NODE_ENV=test` so parallel suites do not share jobs',
      docDefault: 'switchyard',
    }),
};

type Parsed = z.infer<z.ZodObject<typeof provisioningEnvShape>>;

/** Validated provisioning settings. */
export interface ProvisioningConfig {
  grpcHost: string;
  grpcPort: number;
  controlPlaneGrpcUrl: string;
  edgeToken: string | undefined;
  driver: 'local' | 'kubernetes';
  instanceDataDir: string;
  portRange: { from: number; to: number };
  instanceBinary: string;
  instanceLogLevel: string;
  kubernetes: {
    apiUrl: string | undefined;
    namespace: string;
    token: string | undefined;
    image: string;
    ingressClass: string;
    /** The edge's Service, where a sleeping instance's Ingresses send requests (to wake it). */
    edgeService: { name: string; port: number };
  };
  edgePublicUrl: string;
  evalDomain: string | undefined;
  reconcileIntervalMs: number;
  /** Idle time after which an instance sleeps, in ms; 0 = never. */
  idleSleepMs: number;
  outboxPollMs: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  crashAfter: 'credentials' | 'launched' | 'ready' | undefined;
  queuePrefix: string;
}

/** Maps the parsed variables (fault injection only outside production). */
export function toProvisioningConfig(c: Parsed, nodeEnv: string): ProvisioningConfig {
  const [from, to] = c.INSTANCE_PORT_RANGE.split('-').map(Number) as [number, number];
  return {
    grpcHost: c.INTERNAL_GRPC_HOST,
    grpcPort: c.INTERNAL_GRPC_PORT ?? (nodeEnv === 'test' ? 0 : 9100),
    controlPlaneGrpcUrl: c.CONTROL_PLANE_GRPC_URL,
    edgeToken: c.EDGE_TOKEN,
    driver: c.PROVISIONING_DRIVER,
    instanceDataDir: c.INSTANCE_DATA_DIR,
    portRange: { from, to },
    instanceBinary: c.INSTANCE_BINARY,
    instanceLogLevel: c.INSTANCE_LOG_LEVEL,
    kubernetes: {
      apiUrl: c.KUBERNETES_API_URL,
      namespace: c.KUBERNETES_NAMESPACE,
      token: c.KUBERNETES_TOKEN,
      image: c.INSTANCE_IMAGE,
      ingressClass: c.KUBERNETES_INGRESS_CLASS,
      edgeService: {
        name: c.KUBERNETES_EDGE_SERVICE.split(':')[0]!,
        port: Number(c.KUBERNETES_EDGE_SERVICE.split(':')[1]),
      },
    },
    edgePublicUrl: c.EDGE_PUBLIC_URL.replace(/\/+$/, ''),
    evalDomain: c.EVAL_DOMAIN,
    reconcileIntervalMs: c.RECONCILE_INTERVAL_MS,
    idleSleepMs: c.INSTANCE_IDLE_SLEEP,
    outboxPollMs: c.OUTBOX_POLL_MS,
    lockDurationMs: c.WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: c.WORKER_STALLED_INTERVAL_MS,
    crashAfter: nodeEnv === 'production' ? undefined : c.PROVISIONING_CRASH_AFTER,
    queuePrefix:
      c.QUEUE_PREFIX ?? (nodeEnv === 'test' ? `switchyard-test-${randomUUID()}` : 'switchyard'),
  };
}
