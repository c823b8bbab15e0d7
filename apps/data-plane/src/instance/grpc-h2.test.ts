/**
 * The HTTP/2 gRPC client against a real @grpc/grpc-js server serving the contract's
 * InstanceService: metadata, messages both ways, error statuses, deadlines, streams and cancel.
 */
import * as grpc from '@grpc/grpc-js';
import { instanceContract } from '@switchyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlaneClient } from './control-plane-client.js';
import { GrpcError, GrpcStatus } from './grpc-h2.js';

const reports: unknown[] = [];
let server: grpc.Server;
let url: string;

beforeAll(async () => {
  server = new grpc.Server();
  const secretOf = (md: grpc.Metadata) => String(md.get('authorization')[0] ?? '');
  server.addService(instanceContract().InstanceService.service, {
    GetConfig(call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) {
      const id = String(call.metadata.get('x-switchyard-instance-id')[0]);
      if (secretOf(call.metadata) !== 'Bearer s3cret')
        return cb({ code: grpc.status.UNAUTHENTICATED, details: 'bad secret: ünïcode %' });
      if (id === 'slow') return void setTimeout(() => cb(null, {}), 1_000);
      cb(null, { instanceId: id, version: 'v1', tokens: [{ id: 't', expiresAtMs: '5' }] });
    },
    Watch(call: grpc.ServerWritableStream<unknown, unknown>) {
      call.write({ environmentChanged: { environmentKey: 'production', revision: 'r1' } });
      call.write({ tokensChanged: {} });
      if (String(call.metadata.get('x-switchyard-instance-id')[0]) === 'endless') return;
      call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'going away' });
    },
    ReportStatus(call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) {
      reports.push(call.request);
      cb(null, {});
    },
    ReportUsage(call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) {
      reports.push(call.request);
      cb(null, {});
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  url = `grpc://127.0.0.1:${port}`;
});

afterAll(() => server.forceShutdown());

const client = (instanceId = 'i-1', secret = 's3cret') =>
  new ControlPlaneClient({ url, instanceId, secret });

describe('ControlPlaneClient over node:http2', () => {
  it('sends metadata and decodes the configuration', async () => {
    const c = client();
    const config = await c.getConfig();
    expect(config).toMatchObject({ instanceId: 'i-1', version: 'v1', environments: [] });
    expect(config.tokens[0]).toMatchObject({ id: 't', expiresAtMs: '5' });
    c.close();
  });

  it('rejects with the server status and its decoded message', async () => {
    const c = client('i-1', 'wrong');
    const err = await c.getConfig().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrpcError);
    expect(err).toMatchObject({
      code: GrpcStatus.UNAUTHENTICATED,
      details: 'bad secret: ünïcode %',
    });
    c.close();
  });

  it('gives up at the deadline with DEADLINE_EXCEEDED', async () => {
    const c = client('slow');
    const started = Date.now();
    const err = await c.getConfig(200).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: GrpcStatus.DEADLINE_EXCEEDED });
    expect(Date.now() - started).toBeLessThan(900);
    c.close();
  });

  it('reports UNAVAILABLE when nothing listens', async () => {
    const c = new ControlPlaneClient({ url: 'grpc://127.0.0.1:1', instanceId: 'x', secret: 's' });
    await expect(c.getConfig(2_000)).rejects.toMatchObject({ code: GrpcStatus.UNAVAILABLE });
    c.close();
  });

  it('encodes reports the server decodes', async () => {
    const c = client();
    reports.length = 0;
    await c.reportStatus({ configVersion: 'v1', httpPort: 8080, startedAtMs: 1_765_000_000_000 });
    await c.reportUsage({ batchId: 'b', counts: [{ flagKey: 'f', count: 3 }] });
    expect(reports[0]).toMatchObject({ configVersion: 'v1', httpPort: 8080 });
    expect(reports[1]).toMatchObject({ batchId: 'b', counts: [{ flagKey: 'f', count: '3' }] });
    c.close();
  });

  it('streams watch events, then the status that ended the stream', async () => {
    const c = client();
    const stream = c.watch();
    const events: unknown[] = [];
    stream.on('data', (e) => events.push(e));
    stream.on('error', () => undefined);
    const status = await new Promise((resolve) => stream.on('status', resolve));
    expect(events).toEqual([
      {
        environmentChanged: { environmentKey: 'production', revision: 'r1' },
        event: 'environmentChanged',
      },
      { tokensChanged: {}, event: 'tokensChanged' },
    ]);
    expect(status).toEqual({ code: GrpcStatus.UNAVAILABLE, details: 'going away' });
    c.close();
  });

  it('cancels an open stream with CANCELLED', async () => {
    const c = client('endless');
    const stream = c.watch();
    await new Promise((resolve) => stream.on('data', resolve));
    const status = new Promise((resolve) => stream.on('status', resolve));
    stream.on('error', () => undefined);
    stream.cancel();
    expect(await status).toMatchObject({ code: GrpcStatus.CANCELLED });
    c.close();
  });
});
