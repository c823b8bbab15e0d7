/**
 * The Kubernetes driver against a fake API server: ensure creates Secret, Deployment, Service, HPA
 * and an Ingress with one host per environment (validated before sending); ensuring again only
 * reads and merge-patches (no duplicates, idempotent under at-least-once delivery); a changed
 * environment list changes the Ingress; list finds instances by label; remove deletes everything.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { KubernetesDriver } from '../../src/provisioning/drivers/kubernetes-driver.js';
import {
  renderManifests,
  validateManifests,
} from '../../src/provisioning/drivers/kubernetes-manifests.js';
import { startFakeKubeApi, type FakeKubeApi } from './fake-kube-api.js';

let api: FakeKubeApi;
let driver: KubernetesDriver;
const spec = {
  instanceId: '01a201b7-66e2-70b9-886b-7f2405c057f9',
  orgId: '01a201b7-0000-70b9-886b-7f2405c057f9',
  orgSlug: 'acme',
  secret: 'syi_secret',
  controlPlaneUrl: 'grpc://control-plane.switchyard.svc:9100',
  environments: ['production', 'staging'],
};
const name = `sy-${spec.instanceId}`;
const ns = 'tenants';

beforeAll(async () => {
  api = await startFakeKubeApi();
  const config = loadConfig({
    NODE_ENV: 'test',
    PROVISIONING_DRIVER: 'kubernetes',
    KUBERNETES_API_URL: api.url,
    KUBERNETES_TOKEN: 'kube-token',
    KUBERNETES_NAMESPACE: ns,
    EVAL_DOMAIN: 'flags.example.com',
  });
  driver = new KubernetesDriver(config.provisioning, pino({ level: 'silent' }));
});
afterAll(async () => {
  await api?.close();
});

const writes = () =>
  api.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

describe('kubernetes driver', () => {
  it('creates the six objects, then only patches them', async () => {
    const handle = await driver.ensure(spec);
    expect(handle.endpoint).toBe(`http://${name}.${ns}.svc.cluster.local:8080`);
    expect(
      writes()
        .filter((w) => w.startsWith('POST'))
        .sort(),
    ).toEqual([
      `POST /api/v1/namespaces/${ns}/secrets`,
      `POST /api/v1/namespaces/${ns}/services`,
      `POST /apis/apps/v1/namespaces/${ns}/deployments`,
      `POST /apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`,
      `POST /apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`,
      `POST /apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`,
    ]);
    expect(api.requests.every((r) => r.authorization === 'Bearer kube-token')).toBe(true);
    const ingress = api.objects.get(
      `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/${name}`,
    ) as { spec: { rules: Array<{ host: string }> } };
    expect(ingress.spec.rules.map((r) => r.host)).toEqual([
      'production.acme.flags.example.com',
      'staging.acme.flags.example.com',
    ]);
    // gRPC on the same hosts, by service path, to the instance's gRPC port over HTTP/2.
    const grpcIngress = api.objects.get(
      `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/${name}-grpc`,
    ) as {
      metadata: { annotations: Record<string, string> };
      spec: { rules: Array<{ host: string; http: { paths: unknown[] } }> };
    };
    expect(grpcIngress.metadata.annotations['nginx.ingress.kubernetes.io/backend-protocol']).toBe(
      'GRPC',
    );
    expect(grpcIngress.spec.rules.map((r) => [r.host, r.http.paths])).toEqual(
      ['production', 'staging'].map((env) => [
        `${env}.acme.flags.example.com`,
        [
          {
            path: '/flipt.evaluation.EvaluationService/',
            pathType: 'Prefix',
            backend: { service: { name, port: { number: 9000 } } },
          },
        ],
      ]),
    );
    const dep = api.objects.get(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`) as {
      spec: { template: { spec: { containers: Array<{ args: string[] }> } } };
    };
    expect(dep.spec.template.spec.containers[0]!.args).toEqual([
      'serve',
      '--instance-id',
      spec.instanceId,
      '--control-plane',
      spec.controlPlaneUrl,
      '--host',
      '0.0.0.0',
      '--data-dir',
      '/var/cache/switchyard',
    ]);
    const secret = api.objects.get(`/api/v1/namespaces/${ns}/secrets/${name}`) as {
      stringData: Record<string, string>;
    };
    expect(secret.stringData['SWITCHYARD_INSTANCE_TOKEN']).toBe('syi_secret');
    expect(await driver.ready(handle, 2_000)).toBe(true);

    api.requests.length = 0;
    await driver.ensure({ ...spec, environments: ['production'] });
    expect(writes().every((w) => w.startsWith('PATCH'))).toBe(true);
    expect(
      api.requests
        .filter((r) => r.method === 'PATCH')
        .every((r) => r.contentType?.startsWith('application/merge-patch+json')),
    ).toBe(true);
    expect(api.objects.size).toBe(6);
    const after = api.objects.get(
      `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/${name}`,
    ) as { spec: { rules: Array<{ host: string }> } };
    expect(after.spec.rules.map((r) => r.host)).toEqual(['production.acme.flags.example.com']);
  });

  it('sleep scales the Deployment to 0 and routes the Ingresses to the edge (nothing removed); ensure wakes it at 2', async () => {
    const deployment = `/apis/apps/v1/namespaces/${ns}/deployments/${name}`;
    const ingresses = [name, `${name}-grpc`].map(
      (n) => `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/${n}`,
    );
    const replicas = () =>
      (api.objects.get(deployment) as { spec: { replicas: number } }).spec.replicas;
    /** Every backend of both Ingresses, as `service:port`. */
    const backends = () =>
      ingresses.flatMap((path) =>
        (
          api.objects.get(path) as {
            spec: {
              rules: Array<{
                http: {
                  paths: Array<{
                    backend: { service: { name: string; port: { number: number } } };
                  }>;
                };
              }>;
            };
          }
        ).spec.rules.flatMap((r) =>
          r.http.paths.map((p) => `${p.backend.service.name}:${p.backend.service.port.number}`),
        ),
      );
    expect(replicas()).toBe(2);
    api.requests.length = 0;
    await driver.sleep(spec);
    // Ingresses first: host-form requests reach the edge (which wakes it) before the pods go.
    expect(writes()).toEqual([...ingresses.map((i) => `PATCH ${i}`), `PATCH ${deployment}`]);
    expect(replicas()).toBe(0);
    expect(new Set(backends())).toEqual(new Set(['switchyard-edge:8088']));
    expect(api.objects.size).toBe(6);
    // Listed while asleep, so deleting the organisation still removes it.
    expect(await driver.list()).toEqual([{ instanceId: spec.instanceId, orgId: spec.orgId }]);
    await driver.ensure(spec);
    expect(replicas()).toBe(2);
    expect(new Set(backends())).toEqual(new Set([`${name}:8080`, `${name}:9000`]));
    const rendered = renderManifests({
      ...spec,
      namespace: ns,
      image: 'img',
      evalDomain: undefined,
      ingressClass: 'nginx',
      edgeService: { name: 'switchyard-edge', port: 8088 },
      sleeping: true,
    });
    expect(rendered.map((m) => m.kind)).toEqual([
      'Secret',
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
    ]);
    expect((rendered[1]!['spec'] as { replicas: number }).replicas).toBe(0);
  });

  it('lists managed instances by label and removes every object', async () => {
    expect(await driver.list()).toEqual([{ instanceId: spec.instanceId, orgId: spec.orgId }]);
    await driver.remove(spec.instanceId);
    expect(api.objects.size).toBe(0);
    await driver.remove(spec.instanceId);
    expect(await driver.list()).toEqual([]);
  });

  it('refuses invalid manifests before sending anything', () => {
    expect(() =>
      renderManifests({
        ...spec,
        namespace: 'Bad_Namespace',
        image: 'img',
        evalDomain: 'flags.example.com',
        ingressClass: 'nginx',
        edgeService: { name: 'switchyard-edge', port: 8088 },
      }),
    ).toThrow(/namespace: must be a DNS-1123 label/);
    const good = renderManifests({
      ...spec,
      namespace: ns,
      image: 'img',
      evalDomain: 'flags.example.com',
      ingressClass: 'nginx',
      edgeService: { name: 'switchyard-edge', port: 8088 },
    });
    const broken = good.map((m) =>
      m.kind === 'Deployment'
        ? { ...m, spec: { ...(m['spec'] as object), selector: { matchLabels: { app: 'other' } } } }
        : m,
    );
    expect(() => validateManifests(broken)).toThrow(
      /selector app=other does not match the pod labels/,
    );
  });
});
