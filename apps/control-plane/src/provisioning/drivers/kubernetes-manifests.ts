/**
 * Renders an organisation's Kubernetes objects from the templates in infra/k8s/instance and
 * validates them before anything is sent. Placeholders are `${NAME}`-style and are replaced by
 * JSON literals (valid YAML scalars and flow collections), so a value can never break out of its
 * field. The zod schemas check what the API server would reject and what would silently not
 * work: apiVersion/kind pairs, DNS-1123 names, label syntax, the Deployment selector matching its
 * pod labels, port ranges, Ingress host names and path types, the HPA targeting the Deployment.
 * (The full OpenAPI schemas of Kubernetes are not available offline; this is the subset we use.)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

/** Where the templates live (same depth from src/ and dist/). */
export const TEMPLATE_DIR = fileURLToPath(
  new URL('../../../../../infra/k8s/instance/', import.meta.url),
);

const dns1123 = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS-1123 label');
const labelValue = z
  .string()
  .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/, 'invalid label value');
const labelKey = z
  .string()
  .regex(
    /^([a-z0-9.-]{1,253}\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
    'invalid label key',
  );
const labels = z.record(labelKey, labelValue);
const metadata = z.object({
  name: dns1123,
  namespace: dns1123,
  labels,
  annotations: z.record(z.string(), z.string()).optional(),
});
const port = z.number().int().min(1).max(65535);
const hostName = z
  .string()
  .regex(
    /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    'invalid host name',
  );

const secret = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Secret'),
  metadata,
  type: z.string(),
  stringData: z.record(z.string(), z.string()),
});
const container = z.object({
  name: dns1123,
  image: z.string().min(1),
  args: z.array(z.string()).optional(),
  ports: z.array(z.object({ name: z.string().max(15), containerPort: port })).min(1),
});
const deployment = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  metadata,
  spec: z.object({
    replicas: z.number().int().min(0),
    selector: z.object({ matchLabels: labels }),
    template: z.object({
      metadata: z.object({ labels }),
      spec: z.object({ containers: z.array(container).min(1) }),
    }),
  }),
});
const service = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  metadata,
  spec: z.object({
    selector: labels,
    ports: z
      .array(z.object({ name: z.string(), port, targetPort: z.union([port, z.string()]) }))
      .min(1),
  }),
});
const ingress = z.object({
  apiVersion: z.literal('networking.k8s.io/v1'),
  kind: z.literal('Ingress'),
  metadata,
  spec: z.object({
    ingressClassName: z.string().min(1),
    rules: z
      .array(
        z.object({
          host: hostName,
          http: z.object({
            paths: z
              .array(
                z.object({
                  path: z.string().startsWith('/'),
                  pathType: z.enum(['Prefix', 'Exact', 'ImplementationSpecific']),
                  backend: z.object({
                    service: z.object({ name: dns1123, port: z.object({ number: port }) }),
                  }),
                }),
              )
              .min(1),
          }),
        }),
      )
      .min(1),
  }),
});
const hpa = z.object({
  apiVersion: z.literal('autoscaling/v2'),
  kind: z.literal('HorizontalPodAutoscaler'),
  metadata,
  spec: z.object({
    scaleTargetRef: z.object({
      apiVersion: z.literal('apps/v1'),
      kind: z.literal('Deployment'),
      name: dns1123,
    }),
    minReplicas: z.number().int().min(1),
    maxReplicas: z.number().int().min(1),
  }),
});

/** A rendered object (what the API server receives). */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  [key: string]: unknown;
}

/** Values for one organisation's objects. */
export interface ManifestValues {
  instanceId: string;
  orgId: string;
  orgSlug: string;
  namespace: string;
  image: string;
  secret: string;
  controlPlaneUrl: string;
  environments: string[];
  evalDomain: string | undefined;
  ingressClass: string;
  /**
   * Idle: the Deployment is rendered with 0 replicas and the Ingresses route to `edgeService`
   * (the edge holds the request and wakes the organisation); everything else stays.
   */
  sleeping?: boolean;
  /** The edge's Service in this namespace (host-form requests to a sleeping instance go there). */
  edgeService: { name: string; port: number };
}

/** Replicas of an awake instance (the HPA's minimum; it scales up from there). */
export const AWAKE_REPLICAS = 2;

/** Object name of an instance (`sy-<instance id>`, a DNS-1123 label). */
export const objectName = (instanceId: string) => `sy-${instanceId}`.toLowerCase();

/** Label selecting everything the driver manages. */
export const MANAGED_SELECTOR = 'app.kubernetes.io/managed-by=switchyard';

function render(file: string, vars: Record<string, unknown>): unknown {
  const text = readFileSync(`${TEMPLATE_DIR}${file}`, 'utf8').replace(
    /\$\{([A-Z_]+)\}/g,
    (_m, key: string) => {
      if (!(key in vars)) throw new Error(`${file}: no value for \${${key}}`);
      return JSON.stringify(vars[key]);
    },
  );
  return parse(text) as unknown;
}

/** Throws with every problem named when a rendered object is not valid. */
export function validateManifests(objects: Manifest[]): void {
  const problems: string[] = [];
  const schemas: Record<string, z.ZodType> = {
    Secret: secret,
    Deployment: deployment,
    Service: service,
    Ingress: ingress,
    HorizontalPodAutoscaler: hpa,
  };
  for (const o of objects) {
    const schema = schemas[o.kind];
    const r = schema
      ? schema.safeParse(o)
      : {
          success: false as const,
          error: { issues: [{ path: ['kind'], message: `unsupported kind ${o.kind}` }] },
        };
    if (!r.success)
      for (const i of r.error.issues)
        problems.push(`${o.kind}/${o.metadata?.name}: ${i.path.join('.')}: ${i.message}`);
  }
  const dep = objects.find((o) => o.kind === 'Deployment') as
    z.infer<typeof deployment> | undefined;
  if (dep) {
    const podLabels = dep.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(dep.spec.selector.matchLabels))
      if (podLabels[k] !== v)
        problems.push(
          `Deployment/${dep.metadata.name}: selector ${k}=${v} does not match the pod labels`,
        );
  }
  const h = objects.find((o) => o.kind === 'HorizontalPodAutoscaler') as
    z.infer<typeof hpa> | undefined;
  if (h && dep && h.spec.scaleTargetRef.name !== dep.metadata.name)
    problems.push('HorizontalPodAutoscaler: scaleTargetRef does not name the Deployment');
  if (h && h.spec.minReplicas > h.spec.maxReplicas)
    problems.push('HorizontalPodAutoscaler: minReplicas > maxReplicas');
  if (problems.length > 0) throw new Error(`invalid manifests:\n  ${problems.join('\n  ')}`);
}

/** The gRPC service environment URLs serve (what the gRPC Ingress routes by path). */
const GRPC_SERVICE = 'flipt.evaluation.EvaluationService';

/** Name of the instance's gRPC Ingress (beside the REST one, which has the instance's name). */
export function grpcIngressName(instanceId: string): string {
  return `${objectName(instanceId)}-grpc`;
}

/**
 * Renders and validates Secret, Deployment, Service, HPA and (with an eval domain and
 * environments) the REST and gRPC Ingresses.
 */
export function renderManifests(v: ManifestValues): Manifest[] {
  const name = objectName(v.instanceId);
  const selector = {
    'app.kubernetes.io/name': 'switchyard-instance',
    'switchyard.dev/instance-id': v.instanceId,
  };
  const labelsOf = {
    ...selector,
    'app.kubernetes.io/managed-by': 'switchyard',
    'switchyard.dev/org-id': v.orgId,
    'switchyard.dev/org': v.orgSlug,
  };
  // Asleep, there is no pod behind the instance's Service: the edge takes the requests (REST and
  // gRPC over h2c share its port), wakes the organisation and forwards them once it is ready.
  const backend = (port: number) => ({
    service: v.sleeping
      ? { name: v.edgeService.name, port: { number: v.edgeService.port } }
      : { name, port: { number: port } },
  });
  const rules = v.environments.map((env) => ({
    host: `${env}.${v.orgSlug}.${v.evalDomain}`,
    http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend(8080) }] },
  }));
  // gRPC (Flipt's evaluation service) on the same hosts, to the instance's gRPC port.
  const grpcRules = v.environments.map((env) => ({
    host: `${env}.${v.orgSlug}.${v.evalDomain}`,
    http: {
      paths: [
        {
          path: `/${GRPC_SERVICE}/`,
          pathType: 'Prefix',
          backend: backend(9000),
        },
      ],
    },
  }));
  const vars = {
    NAME: name,
    GRPC_NAME: grpcIngressName(v.instanceId),
    GRPC_RULES: grpcRules,
    NAMESPACE: v.namespace,
    LABELS: labelsOf,
    SELECTOR: selector,
    IMAGE: v.image,
    INSTANCE_ID: v.instanceId,
    CONTROL_PLANE_URL: v.controlPlaneUrl,
    SECRET: v.secret,
    RULES: rules,
    INGRESS_CLASS: v.ingressClass,
    REPLICAS: v.sleeping ? 0 : AWAKE_REPLICAS,
  };
  const files = [
    'secret.yaml',
    'deployment.yaml',
    'service.yaml',
    'hpa.yaml',
    ...(v.evalDomain && v.environments.length > 0 ? ['ingress.yaml', 'ingress-grpc.yaml'] : []),
  ];
  const objects = files.map((f) => render(f, vars) as Manifest);
  validateManifests(objects);
  return objects;
}
