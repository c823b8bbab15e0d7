/**
 * An environment URL pins its environment. The edge (and the Ingress) mark requests through an
 * environment URL with `x-switchyard-edge-environment`; naming another environment there, by
 * header, body or path, on REST, OFREP, the snapshot endpoints or gRPC, is a 400 and never
 * answered from that environment. The same name, and the SDKs' built-in `default`, are fine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluationClient, type EvaluationClient } from './helpers/grpc-client.js';
import { startInProcess, TOKENS, type TestInstance } from './helpers/in-process.js';

let t: TestInstance;
let grpc: EvaluationClient;
beforeAll(async () => {
  t = await startInProcess();
  grpc = evaluationClient(t.grpc);
});
afterAll(async () => {
  grpc.close();
  await t.dp.close();
});

const PINNED = { 'x-switchyard-edge-environment': 'production' };
const MESSAGE =
  'this environment URL serves environment "production" but the request names "staging"';

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const r = await fetch(t.url + path, {
    method,
    headers: { authorization: `Bearer ${TOKENS.all}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // A stream that was answered stays open: its status is all there is to read.
  if (r.status === 200 && path.endsWith('/stream')) {
    await r.body?.cancel();
    return { status: r.status, text: '' };
  }
  const text = await r.text();
  return { status: r.status, text };
}

const evaluation = { namespaceKey: 'default', flagKey: 'kill-switch', entityId: 'u1' };

describe('an environment URL pins its environment', () => {
  it('refuses another environment named by header or body, on every REST surface', async () => {
    const cases: Array<[string, string, Record<string, string>, unknown]> = [
      ['POST', '/evaluate/v1/boolean', { 'x-flipt-environment': 'staging' }, evaluation],
      ['POST', '/evaluate/v1/boolean', {}, { ...evaluation, environmentKey: 'staging' }],
      [
        'POST',
        '/evaluate/v1/batch',
        {},
        { requests: [{ ...evaluation, environmentKey: 'staging' }] },
      ],
      ['POST', '/ofrep/v1/evaluate/flags/kill-switch', { 'x-flipt-environment': 'staging' }, {}],
      ['POST', '/ofrep/v1/evaluate/flags', { 'x-flipt-environment': 'staging' }, {}],
      [
        'GET',
        '/internal/v1/evaluation/snapshot/namespace/default',
        { 'x-flipt-environment': 'staging' },
        undefined,
      ],
      ['GET', '/client/v2/environments/staging/namespaces/default/snapshot', {}, undefined],
      ['GET', '/client/v2/environments/staging/namespaces/default/stream', {}, undefined],
      ['GET', '/api/v1/namespaces/default/flags?environmentKey=staging', {}, undefined],
    ];
    for (const [method, path, headers, body] of cases) {
      const r = await call(method, path, { ...PINNED, ...headers }, body);
      expect({ path, status: r.status }).toEqual({ path, status: 400 });
      expect(r.text.replaceAll('\\"', '"')).toContain(MESSAGE);
      // Without the pin (the instance's own port) the same request is answered from staging.
      expect((await call(method, path, headers, body)).status).toBe(200);
    }
  });

  it('serves the pinned environment when the request names it, or the SDK default', async () => {
    for (const named of ['production', 'default']) {
      const r = await call(
        'POST',
        '/evaluate/v1/boolean',
        { ...PINNED, 'x-flipt-environment': named },
        { ...evaluation, environmentKey: named },
      );
      expect(r.status).toBe(200);
    }
    const snap = await call(
      'GET',
      '/client/v2/environments/default/namespaces/default/snapshot',
      PINNED,
    );
    expect(snap.status).toBe(200);
  });

  it('refuses another environment in gRPC metadata when the edge pinned one', async () => {
    const err = await grpc
      .call('Boolean', evaluation, {
        ...PINNED,
        'x-flipt-environment': 'staging',
        authorization: `Bearer ${TOKENS.all}`,
      })
      .then(
        () => undefined,
        (e: { code: number; details: string }) => e,
      );
    expect(err?.code).toBe(3);
    expect(err?.details).toContain(MESSAGE);
    const ok = await grpc.call('Boolean', evaluation, {
      ...PINNED,
      'x-flipt-environment': 'production',
      authorization: `Bearer ${TOKENS.all}`,
    });
    expect(ok['flagKey']).toBe('kill-switch');
  });

  it('hands back eventStreams under the environment URL prefix the edge stripped', async () => {
    const r = await call(
      'POST',
      '/ofrep/v1/evaluate/flags',
      { ...PINNED, 'x-switchyard-edge-prefix': '/e/acme/production' },
      { context: { targetingKey: 'u1' } },
    );
    expect(JSON.parse(r.text).eventStreams).toEqual([
      {
        type: 'sse',
        endpoint: { requestUri: '/e/acme/production/ofrep/v1/_stream/production/default/events' },
      },
    ]);
  });
});
