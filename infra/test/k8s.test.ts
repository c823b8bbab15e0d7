/**
 * infra/k8s/cloud: every overlay rendered by kustomize (`kubectl kustomize`, which bundles
 * kustomize) and every rendered object validated against the Kubernetes API schemas
 * (kubernetes-models, generated from the Kubernetes OpenAPI; pinned in package.json), plus the
 * rules of the deployment: each role has its Deployment, PodDisruptionBudget and
 * HorizontalPodAutoscaler, pods run as non-root with probes and resources, references resolve,
 * and no secret value is committed.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const CLOUD = join(root, 'infra', 'k8s', 'cloud');
const OVERLAYS = ['dev', 'production'];
const ROLES = ['control-plane', 'worker', 'edge', 'console'];

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}
/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are walked loosely */
type Any = any;

function render(path: string): K8sObject[] {
  const out = execFileSync('kubectl', ['kustomize', path], { encoding: 'utf8' });
  return parseAllDocuments(out).map((d) => d.toJS() as K8sObject);
}

/** The kubernetes-models class of an object; unknown kinds fail (no unvalidated object passes). */
async function model(o: K8sObject): Promise<{ validate(): void }> {
  const [group, version] = o.apiVersion.includes('/')
    ? o.apiVersion.split('/')
    : ['', o.apiVersion];
  const path = group ? `${group}/${version}` : version!;
  const mod = (await import(`kubernetes-models/${path}/${o.kind}`)) as Record<string, Any>;
  const Model = mod[o.kind] as new (data: K8sObject) => { validate(): void };
  if (!Model) throw new Error(`no kubernetes-models class for ${o.apiVersion} ${o.kind}`);
  return new Model(o);
}

describe('the schema check is not vacuous', () => {
  it('kubernetes-models rejects a wrong type and a missing required field', async () => {
    const bad: K8sObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { replicas: 'two', selector: {}, template: { spec: { containers: [] } } },
    };
    await expect(model(bad).then((m) => m.validate())).rejects.toThrow();
    const noPort: K8sObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'x' },
      spec: { ports: [{ name: 'http' }] },
    };
    await expect(model(noPort).then((m) => m.validate())).rejects.toThrow(/port/);
  });
});

describe.each(OVERLAYS)('infra/k8s/cloud/overlays/%s', (overlay) => {
  const objects = render(join(CLOUD, 'overlays', overlay));
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind) as Any[];
  const find = (kind: string, name: string) => byKind(kind).find((o) => o.metadata.name === name);

  it('every rendered object is valid against the Kubernetes schemas', async () => {
    expect(objects.length).toBeGreaterThanOrEqual(20);
    for (const o of objects) {
      const m = await model(o);
      expect(() => m.validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
    }
  });

  it('everything is in one namespace', () => {
    const namespaces = new Set(objects.map((o) => o.metadata.namespace));
    expect([...namespaces]).toEqual([overlay === 'dev' ? 'switchyard-dev' : 'switchyard']);
  });

  it.each(ROLES)('%s: Deployment, PodDisruptionBudget and HorizontalPodAutoscaler', (role) => {
    const name = `switchyard-${role}`;
    const dep = find('Deployment', name);
    expect(dep, name).toBeDefined();
    const labels = dep.spec.template.metadata.labels as Record<string, string>;
    for (const [k, v] of Object.entries(dep.spec.selector.matchLabels as Record<string, string>))
      expect(labels[k]).toBe(v);
    const pdb = find('PodDisruptionBudget', name);
    expect(pdb.spec.selector.matchLabels).toEqual(dep.spec.selector.matchLabels);
    const hpa = find('HorizontalPodAutoscaler', name);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(1);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    // The HPA owns the replica count; a PDB with minAvailable 1 needs at least two replicas.
    expect(dep.spec.replicas).toBeUndefined();
    if (pdb.spec.minAvailable !== undefined) expect(hpa.spec.minReplicas).toBeGreaterThan(1);
  });

  it.each(ROLES)(
    '%s: non-root, read-only root filesystem, probes, resources, a released image',
    (role) => {
      const pod = find('Deployment', `switchyard-${role}`).spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).not.toBe(0);
      for (const c of pod.containers) {
        expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
        expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
        expect(c.securityContext.capabilities.drop).toEqual(['ALL']);
        expect(c.livenessProbe, `${role} liveness`).toBeDefined();
        if (c.ports) expect(c.readinessProbe, `${role} readiness`).toBeDefined();
        expect(c.resources.requests.cpu).toBeDefined();
        expect(c.resources.requests.memory).toBeDefined();
        expect(c.resources.limits.memory).toBeDefined();
        expect(c.image).not.toMatch(/:latest$/);
        if (overlay === 'production')
          expect(c.image).toMatch(/^ghcr\.io\/switchyard\/.+:\d+\.\d+\.\d+$/);
        // Every named port a probe uses exists on the container.
        for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe])
          if (probe?.httpGet && typeof probe.httpGet.port === 'string')
            expect(c.ports.map((p: Any) => p.name)).toContain(probe.httpGet.port);
      }
    },
  );

  it('Services, the Ingress, ConfigMap, Secret, PVC and ServiceAccount references resolve', () => {
    for (const svc of byKind('Service')) {
      const selected = byKind('Deployment').filter((d) =>
        Object.entries(svc.spec.selector as Record<string, string>).every(
          ([k, v]) => d.spec.template.metadata.labels[k] === v,
        ),
      );
      expect(selected, svc.metadata.name).toHaveLength(1);
      const names = selected[0].spec.template.spec.containers.flatMap((c: Any) =>
        (c.ports ?? []).map((p: Any) => p.name),
      );
      for (const p of svc.spec.ports) expect(names).toContain(p.targetPort);
    }
    const ingress = find('Ingress', 'switchyard');
    const backends = ingress.spec.rules.flatMap((r: Any) =>
      r.http.paths.map((p: Any) => p.backend),
    );
    expect(backends.map((b: Any) => b.service.name).sort()).toEqual([
      'switchyard-console',
      'switchyard-edge',
    ]);
    for (const b of backends) {
      const svc = find('Service', b.service.name);
      expect(svc.spec.ports.map((p: Any) => p.name)).toContain(b.service.port.name);
    }
    for (const dep of byKind('Deployment')) {
      const pod = dep.spec.template.spec;
      for (const c of pod.containers) {
        for (const from of c.envFrom ?? []) {
          if (from.configMapRef) expect(find('ConfigMap', from.configMapRef.name)).toBeDefined();
          if (from.secretRef) expect(find('Secret', from.secretRef.name)).toBeDefined();
        }
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref) expect(Object.keys(find('Secret', ref.name).stringData)).toContain(ref.key);
        }
      }
      for (const v of pod.volumes ?? [])
        if (v.persistentVolumeClaim)
          expect(find('PersistentVolumeClaim', v.persistentVolumeClaim.claimName)).toBeDefined();
      if (pod.serviceAccountName)
        expect(find('ServiceAccount', pod.serviceAccountName)).toBeDefined();
      else expect(pod.automountServiceAccountToken).toBe(false);
    }
    // The worker's driver may manage instance objects (the kinds the Kubernetes driver applies).
    const role = find('Role', 'switchyard-worker');
    const granted = role.rules.flatMap((r: Any) => r.resources);
    for (const kind of [
      'deployments',
      'services',
      'secrets',
      'ingresses',
      'horizontalpodautoscalers',
    ])
      expect(granted).toContain(kind);
  });

  it('no secret value is committed, and the settings the processes require are present', () => {
    const secret = find('Secret', 'switchyard-secrets');
    for (const [key, value] of Object.entries(secret.stringData as Record<string, string>))
      expect(value, key).toBe('');
    expect(secret.data).toBeUndefined();
    const config = find('ConfigMap', 'switchyard-config').data as Record<string, string>;
    expect(config['PROVISIONING_DRIVER']).toBe('kubernetes');
    expect(config['CONTROL_PLANE_GRPC_URL']).toBe('grpc://switchyard-control-plane:9100');
    expect(Object.keys(secret.stringData).sort()).toEqual(
      ['DATABASE_URL', 'EDGE_TOKEN', 'REDIS_URL', 'SWITCHYARD_SECRET'].sort(),
    );
  });
});
