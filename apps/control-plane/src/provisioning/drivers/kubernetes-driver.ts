/**
 * The `kubernetes` provisioning driver: per organisation a Secret (instance credential), a
 * Deployment of the data plane in instance mode, a Service, a HorizontalPodAutoscaler and, with an
 * evaluation domain, Ingresses (REST, and gRPC to the instance's gRPC port) with one host per
 * environment; rendered from infra/k8s/instance
 * and applied through @kubernetes/client-node. Apply = read, then merge-patch if it exists or
 * create if not (409 on create, a concurrent worker, falls back to patch), so repeating it is
 * harmless; objects are found again by deterministic name and labels, never remembered locally.
 */
import {
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ProvisioningConfig } from '../../config/provisioning.config.js';
import {
  waitStarted,
  type DriverInstance,
  type InstanceDriver,
  type InstanceHandle,
  type InstanceSpec,
} from '../instance-driver.js';
import {
  MANAGED_SELECTOR,
  grpcIngressName,
  objectName,
  renderManifests,
  type Manifest,
} from './kubernetes-manifests.js';

const KINDS: Array<{ apiVersion: string; kind: string }> = [
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'v1', kind: 'Secret' },
];

function status(e: unknown): number | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

function kubeConfig(config: ProvisioningConfig): KubeConfig {
  const kc = new KubeConfig();
  const k = config.kubernetes;
  if (!k.apiUrl) {
    kc.loadFromCluster();
    return kc;
  }
  kc.loadFromOptions({
    // client-node refuses http:// unless skipTLSVerify: only plain http (kubectl proxy, tests) sets it.
    clusters: [
      {
        name: 'switchyard',
        server: k.apiUrl,
        skipTLSVerify: new URL(k.apiUrl).protocol === 'http:',
      },
    ],
    users: [{ name: 'switchyard', ...(k.token ? { token: k.token } : {}) }],
    contexts: [
      { name: 'switchyard', cluster: 'switchyard', user: 'switchyard', namespace: k.namespace },
    ],
    currentContext: 'switchyard',
  });
  return kc;
}

/** Kubernetes driver. */
export class KubernetesDriver implements InstanceDriver {
  readonly kind = 'kubernetes' as const;
  readonly #api: KubernetesObjectApi;

  constructor(
    private readonly config: ProvisioningConfig,
    private readonly logger: Logger,
  ) {
    this.#api = KubernetesObjectApi.makeApiClient(kubeConfig(config));
  }

  #render(spec: InstanceSpec, sleeping: boolean): Manifest[] {
    const k = this.config.kubernetes;
    return renderManifests({
      instanceId: spec.instanceId,
      orgId: spec.orgId,
      orgSlug: spec.orgSlug,
      namespace: k.namespace,
      image: k.image,
      secret: spec.secret,
      controlPlaneUrl: spec.controlPlaneUrl,
      environments: spec.environments,
      evalDomain: this.config.evalDomain,
      ingressClass: k.ingressClass,
      edgeService: k.edgeService,
      sleeping,
    });
  }

  async ensure(spec: InstanceSpec): Promise<InstanceHandle> {
    const k = this.config.kubernetes;
    const manifests = this.#render(spec, false);
    for (const m of manifests) await this.#apply(m);
    // Without environments (or an eval domain) there is no Ingress: remove a stale one.
    if (!manifests.some((m) => m.kind === 'Ingress'))
      for (const name of [objectName(spec.instanceId), grpcIngressName(spec.instanceId)])
        await this.#delete({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name, namespace: k.namespace },
        });
    const host = `${objectName(spec.instanceId)}.${k.namespace}.svc.cluster.local`;
    return { endpoint: `http://${host}:8080`, grpcAddress: `${host}:9000` };
  }

  async ready(handle: InstanceHandle, timeoutMs: number): Promise<boolean> {
    const name = new URL(handle.endpoint).hostname.split('.')[0]!;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const dep = await this.#api
        .read<KubernetesObject & { status?: { readyReplicas?: number } }>({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name, namespace: this.config.kubernetes.namespace },
        })
        .catch(() => undefined);
      if ((dep?.status?.readyReplicas ?? 0) >= 1) return true;
      await new Promise((r) => setTimeout(r, 250));
    }
    return false;
  }

  async started(handle: InstanceHandle, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    if (!(await this.ready(handle, timeoutMs))) return false;
    // The worker runs in the cluster and reaches the instance through its Service.
    return waitStarted(handle.endpoint, Math.max(0, deadline - Date.now()));
  }

  /** Scales the Deployment to 0 (rendered, validated and merge-patched like any change). */
  async sleep(spec: InstanceSpec): Promise<void> {
    // Ingresses first: from then on host-form requests reach the edge, which can wake it.
    const manifests = this.#render(spec, true);
    for (const m of manifests) if (m.kind === 'Ingress') await this.#apply(m);
    await this.#apply(manifests.find((m) => m.kind === 'Deployment')!);
    this.logger.info({ instance: spec.instanceId, org: spec.orgSlug }, 'instance asleep (idle)');
  }

  async remove(instanceId: string): Promise<void> {
    const name = objectName(instanceId);
    const namespace = this.config.kubernetes.namespace;
    for (const k of KINDS) await this.#delete({ ...k, metadata: { name, namespace } });
    await this.#delete({
      ...KINDS[0]!,
      metadata: { name: grpcIngressName(instanceId), namespace },
    });
  }

  async list(): Promise<DriverInstance[]> {
    const res = await this.#api.list(
      'apps/v1',
      'Deployment',
      this.config.kubernetes.namespace,
      undefined,
      undefined,
      undefined,
      undefined,
      MANAGED_SELECTOR,
    );
    return res.items.flatMap((d) => {
      const l = d.metadata?.labels ?? {};
      const instanceId = l['switchyard.dev/instance-id'];
      const orgId = l['switchyard.dev/org-id'];
      return instanceId && orgId ? [{ instanceId, orgId }] : [];
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  async #apply(m: Manifest): Promise<void> {
    const header = {
      apiVersion: m.apiVersion,
      kind: m.kind,
      metadata: { name: m.metadata.name, namespace: m.metadata.namespace },
    };
    const exists = await this.#api.read(header).then(
      () => true,
      (e: unknown) => {
        if (status(e) === 404) return false;
        throw e;
      },
    );
    if (exists) {
      await this.#api.patch(
        m,
        undefined,
        undefined,
        'switchyard',
        undefined,
        PatchStrategy.MergePatch,
      );
      return;
    }
    try {
      await this.#api.create(m, undefined, undefined, 'switchyard');
      this.logger.info({ kind: m.kind, name: m.metadata.name }, 'kubernetes object created');
    } catch (e) {
      if (status(e) !== 409) throw e;
      await this.#api.patch(
        m,
        undefined,
        undefined,
        'switchyard',
        undefined,
        PatchStrategy.MergePatch,
      );
    }
  }

  async #delete(header: {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string };
  }): Promise<void> {
    try {
      await this.#api.delete(header);
    } catch (e) {
      if (status(e) !== 404) throw e;
    }
  }
}
