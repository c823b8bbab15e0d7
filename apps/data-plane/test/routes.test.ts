/** Every REST route and its guard; guarded routes must refuse a request without a valid token. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../src/http/routes.js';
import { startInProcess, TOKENS, type TestInstance } from './helpers/in-process.js';

let t: TestInstance;
beforeAll(async () => {
  t = await startInProcess();
});
afterAll(() => t.dp.close());

const SAMPLE: Record<string, string> = { env: 'production', ns: 'default', key: 'color' };
const bodyFor = (path: string) =>
  path.endsWith('/batch')
    ? '{"requests":[{"flagKey":"color","entityId":"u"}]}'
    : '{"flagKey":"color","entityId":"u","context":{"targetingKey":"u"}}';
const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_, p: string) => SAMPLE[p]!);

it('lists every route with its guard (committed snapshot)', () => {
  expect(ROUTES.map((r) => `${r.method} ${r.path} → ${r.guard}`)).toMatchInlineSnapshot(`
    [
      "POST /evaluate/v1/boolean → client-token",
      "POST /evaluate/v1/variant → client-token",
      "POST /evaluate/v1/batch → client-token",
      "GET /internal/v1/evaluation/snapshot/namespace/{ns} → client-token",
      "GET /client/v2/environments/{env}/namespaces/{ns}/snapshot → client-token",
      "GET /client/v2/environments/{env}/namespaces/{ns}/stream → client-token",
      "POST /ofrep/v1/evaluate/flags → client-token",
      "POST /ofrep/v1/evaluate/flags/{key} → client-token",
      "GET /ofrep/v1/configuration → client-token",
      "GET /ofrep/v1/_stream/{env}/{ns}/events → client-token",
      "GET /api/v1/namespaces/{ns}/flags → client-token",
      "GET /api/v1/namespaces/{ns}/flags/{key} → client-token",
      "GET /api/v1/namespaces → client-token",
      "GET /api/v1/namespaces/{ns} → client-token",
      "GET /api/v1/namespaces/{ns}/segments → client-token",
      "GET /api/v1/namespaces/{ns}/segments/{key} → client-token",
      "GET /api/v1/namespaces/{ns}/flags/{key}/rules → client-token",
      "GET /api/v1/namespaces/{ns}/flags/{key}/rules/{id} → client-token",
      "GET /api/v1/namespaces/{ns}/flags/{key}/rollouts → client-token",
      "GET /api/v1/namespaces/{ns}/flags/{key}/rollouts/{id} → client-token",
      "GET /api/switchyard/v1/environments/{env}/source → client-token",
      "GET /api/switchyard/v1/environments/{env}/watch → client-token",
      "POST /api/switchyard/v1/refresh → client-token",
      "GET /health → public",
      "GET /ready → ops",
      "GET /metrics → ops",
    ]
  `);
});

describe('guards hold on every route', () => {
  for (const r of ROUTES) {
    const headers: Record<string, string> = r.path.includes('_stream')
      ? { accept: 'text/event-stream' }
      : {};
    const send = (auth?: string) =>
      fetch(t.url + concrete(r.path), {
        method: r.method,
        headers: { ...headers, ...(auth ? { authorization: auth } : {}) },
        ...(r.method === 'POST' ? { body: bodyFor(r.path) } : {}),
        signal: AbortSignal.timeout(10_000),
      });
    it(`${r.method} ${r.path}`, async () => {
      const anonymous = await send();
      const wrong = await send('Bearer wrong');
      if (r.guard === 'public') {
        expect(anonymous.status).toBe(200);
      } else if (r.guard === 'ops') {
        // The operator reaches the instance port directly; through an environment URL (the edge
        // or the Ingress set the edge header, even empty) operations endpoints do not exist.
        expect(anonymous.status).toBe(200);
        for (const edge of ['production', '']) {
          const viaEdge = await fetch(t.url + r.path, {
            headers: { 'x-switchyard-edge-environment': edge },
          });
          expect(viaEdge.status).toBe(404);
          expect(await viaEdge.json()).toEqual({
            code: 5,
            message: `no route for GET ${r.path}`,
            details: [],
          });
        }
      } else {
        expect(anonymous.status).toBe(401);
        expect(wrong.status).toBe(401);
        // A token scoped to another namespace never reads the default namespace's data.
        const scoped = await send(`Bearer ${TOKENS.otherNs}`);
        if (
          r.path.includes('{ns}') ||
          r.path.startsWith('/evaluate') ||
          r.path.startsWith('/ofrep/v1/evaluate')
        )
          expect([403, 400]).toContain(scoped.status);
        await scoped.body?.cancel();
      }
      await anonymous.body?.cancel();
      await wrong.body?.cancel();
    });
  }
});
