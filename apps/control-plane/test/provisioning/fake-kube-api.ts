/**
 * A small fake Kubernetes API server (node:http) for the Kubernetes driver's tests: API discovery
 * for the kinds the driver uses, and create/get/list/merge-patch/delete of namespaced objects with
 * Kubernetes' status codes and Status bodies. Every request is recorded. A created Deployment
 * reports its replicas ready at once, as a controller would shortly after.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const RESOURCES: Record<string, Array<{ name: string; kind: string }>> = {
  '/api/v1': [
    { name: 'secrets', kind: 'Secret' },
    { name: 'services', kind: 'Service' },
  ],
  '/apis/apps/v1': [{ name: 'deployments', kind: 'Deployment' }],
  '/apis/networking.k8s.io/v1': [{ name: 'ingresses', kind: 'Ingress' }],
  '/apis/autoscaling/v2': [{ name: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler' }],
};

/** One recorded request. */
export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
}

/** The running fake. */
export interface FakeKubeApi {
  url: string;
  requests: RecordedRequest[];
  /** Stored objects by path (`/apis/apps/v1/namespaces/ns/deployments/name`). */
  objects: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

function merge(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (
      typeof v === 'object' &&
      !Array.isArray(v) &&
      typeof out[k] === 'object' &&
      out[k] !== null &&
      !Array.isArray(out[k])
    )
      out[k] = merge(out[k] as Record<string, unknown>, v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

const statusBody = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: code < 300 ? 'Success' : 'Failure',
  reason,
  message,
  code,
});

/** Starts the fake on 127.0.0.1. */
export async function startFakeKubeApi(): Promise<FakeKubeApi> {
  const requests: RecordedRequest[] = [];
  const objects = new Map<string, Record<string, unknown>>();
  let version = 1;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization,
    });
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const send = (code: number, value: unknown) =>
        res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      const group = RESOURCES[url.pathname];
      if (req.method === 'GET' && group) {
        return send(200, {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: url.pathname.replace(/^\/apis?\//, ''),
          resources: group.map((r) => ({
            ...r,
            namespaced: true,
            singularName: '',
            verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
          })),
        });
      }
      const m = /^(\/apis?\/.+)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
      if (!m)
        return send(
          404,
          statusBody(404, 'NotFound', 'the server could not find the requested resource'),
        );
      const [, prefix, ns, plural, name] = m;
      const collection = `${prefix}/namespaces/${ns}/${plural}`;
      if (!name && req.method === 'POST') {
        const obj = JSON.parse(body) as {
          metadata: { name: string };
          kind: string;
          spec?: { replicas?: number };
        };
        const path = `${collection}/${obj.metadata.name}`;
        if (objects.has(path))
          return send(
            409,
            statusBody(409, 'AlreadyExists', `${plural} "${obj.metadata.name}" already exists`),
          );
        const stored = {
          ...obj,
          metadata: { ...obj.metadata, resourceVersion: String(version++), uid: `uid-${version}` },
          ...(obj.kind === 'Deployment'
            ? { status: { readyReplicas: obj.spec?.replicas ?? 1 } }
            : {}),
        };
        objects.set(path, stored);
        return send(201, stored);
      }
      if (!name && req.method === 'GET') {
        const selector = url.searchParams.get('labelSelector');
        const [k, v] = selector ? selector.split('=') : [];
        const items = [...objects.entries()]
          .filter(([p]) => p.startsWith(`${collection}/`))
          .map(([, o]) => o)
          .filter(
            (o) => !k || (o['metadata'] as { labels?: Record<string, string> }).labels?.[k] === v,
          );
        return send(200, { kind: 'List', apiVersion: 'v1', metadata: {}, items });
      }
      const path = `${collection}/${name}`;
      const existing = objects.get(path);
      if (!existing) return send(404, statusBody(404, 'NotFound', `${plural} "${name}" not found`));
      if (req.method === 'GET') return send(200, existing);
      if (req.method === 'PATCH') {
        const patched = merge(existing, JSON.parse(body) as Record<string, unknown>);
        (patched['metadata'] as Record<string, unknown>)['resourceVersion'] = String(version++);
        objects.set(path, patched);
        return send(200, patched);
      }
      if (req.method === 'DELETE') {
        objects.delete(path);
        return send(200, statusBody(200, '', 'deleted'));
      }
      return send(405, statusBody(405, 'MethodNotAllowed', 'method not allowed'));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    objects,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
