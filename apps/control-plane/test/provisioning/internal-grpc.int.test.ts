/**
 * The internal gRPC service: an instance authenticates with its id and secret and receives only
 * its own organisation's environments and token hashes (revoked tokens excluded); wrong or
 * foreign credentials are UNAUTHENTICATED; status reports store per-environment revisions and
 * errors and move a ready instance to degraded and back; the edge needs its own token.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/common/crypto.js';
import { edgeToken, instanceSecret } from '../../src/instances/instance-credentials.js';
import { InternalGrpcServer } from '../../src/internal-grpc/internal-grpc.server.js';
import { loadInternalServices } from '../../src/internal-grpc/internal-grpc.proto-loader.js';
import { startApp, type TestApp } from '../harness.js';

let t: TestApp;
let port: number;
const services = loadInternalServices();

type Unary = (req: object, md: grpc.Metadata, cb: (e: grpc.ServiceError | null, v?: Record<string, unknown>) => void) => void;
function call(client: grpc.Client, method: string, md: grpc.Metadata, req: object = {}): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => (client as unknown as Record<string, Unary>)[method]!.call(client, req, md, (e, v) => (e ? reject(e) : resolve(v!))));
}
function md(entries: Record<string, string>): grpc.Metadata {
  const m = new grpc.Metadata();
  for (const [k, v] of Object.entries(entries)) m.set(k, v);
  return m;
}

async function orgWithInstance(slug: string) {
  const org = await t.db.organisation.create({ data: { slug, name: slug } });
  const inst = await t.db.instance.create({ data: { orgId: org.id, desiredState: {}, status: 'ready' } });
  const secret = instanceSecret(t.config.secret, inst.id);
  await t.db.instance.update({ where: { id: inst.id }, data: { secretHash: sha256(secret) } });
  const env = await t.db.environment.create({ data: { orgId: org.id, key: `${slug}-env`, name: slug } });
  await t.db.clientToken.create({ data: { orgId: org.id, name: 'live', tokenHash: sha256(`${slug}-live`), prefix: 'sy_live_x', namespaces: [], environments: { create: [{ environmentId: env.id }] } } });
  await t.db.clientToken.create({ data: { orgId: org.id, name: 'revoked', tokenHash: sha256(`${slug}-revoked`), prefix: 'sy_live_y', namespaces: [], revokedAt: new Date(), environments: { create: [{ environmentId: env.id }] } } });
  return { org, inst, secret };
}

beforeAll(async () => {
  t = await startApp();
  port = await t.app.get(InternalGrpcServer).start();
});
afterAll(async () => {
  await t?.close();
});

describe('internal gRPC', () => {
  it('gives an instance only its own organisation, and refuses bad credentials', async () => {
    const a = await orgWithInstance('alpha');
    const b = await orgWithInstance('beta');
    const client = new services.InstanceClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      const cfg = await call(client, 'GetConfig', md({ 'x-switchyard-instance-id': a.inst.id, authorization: `Bearer ${a.secret}` }));
      expect(cfg['orgSlug']).toBe('alpha');
      expect((cfg['environments'] as Array<{ key: string; git: { url: string; credentials: { password: string } } }>).map((e) => e.key)).toEqual(['alpha-env']);
      const tokens = cfg['tokens'] as Array<{ sha256: string; environments: string[] }>;
      expect(tokens).toEqual([expect.objectContaining({ sha256: sha256('alpha-live'), environments: ['alpha-env'] })]);
      // Hosted environment: read with the instance's own credential.
      expect((cfg['environments'] as Array<{ git: { url: string; credentials: { password: string } } }>)[0]!.git).toMatchObject({ url: `${t.config.publicUrl}/git/alpha/alpha-env.git`, credentials: { password: a.secret } });

      const bads: Array<Record<string, string>> = [
        { 'x-switchyard-instance-id': a.inst.id, authorization: 'Bearer syi_wrong' },
        { 'x-switchyard-instance-id': b.inst.id, authorization: `Bearer ${a.secret}` },
        { 'x-switchyard-instance-id': a.inst.id },
      ];
      for (const bad of bads) {
        await expect(call(client, 'GetConfig', md(bad))).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
      }
    } finally {
      client.close();
    }
  });

  it('stores status reports: revision and error per environment, ready ⇄ degraded', async () => {
    const c = await orgWithInstance('gamma');
    const client = new services.InstanceClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const auth = md({ 'x-switchyard-instance-id': c.inst.id, authorization: `Bearer ${c.secret}` });
    try {
      await call(client, 'ReportStatus', auth, { environments: [{ key: 'gamma-env', revision: 'abc', ready: true, lastError: 'default/features.yaml:3: bad', lastSyncAtMs: Date.now() }], configVersion: 'v1', httpPort: 18000, grpcPort: 18001 });
      let row = await t.db.instance.findUniqueOrThrow({ where: { id: c.inst.id } });
      expect(row.status).toBe('degraded');
      expect(row.lastError).toBe('default/features.yaml:3: bad');
      expect(row.observedState).toMatchObject({ environments: [{ key: 'gamma-env', revision: 'abc', lastError: 'default/features.yaml:3: bad' }], grpcPort: 18001 });
      await call(client, 'ReportStatus', auth, { environments: [{ key: 'gamma-env', revision: 'def', ready: true, lastError: '', lastSyncAtMs: Date.now() }], configVersion: 'v1', httpPort: 18000, grpcPort: 18001 });
      row = await t.db.instance.findUniqueOrThrow({ where: { id: c.inst.id } });
      expect(row.status).toBe('ready');
      expect(row.reportedAt).not.toBeNull();
    } finally {
      client.close();
    }
  });

  it('serves the edge its route table only with the edge token', async () => {
    const edge = new services.EdgeClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      await expect(call(edge, 'GetRoutes', md({ authorization: 'Bearer nope' }))).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
      await t.db.instance.updateMany({ data: { endpoint: 'http://127.0.0.1:18000' } });
      const table = await call(edge, 'GetRoutes', md({ authorization: `Bearer ${edgeToken(t.config.secret, t.config.provisioning.edgeToken)}` }));
      expect((table['routes'] as Array<{ orgSlug: string }>).map((r) => r.orgSlug).sort()).toEqual(['alpha', 'beta', 'gamma']);
    } finally {
      edge.close();
    }
  });
});
