/**
 * Issue 10 items 6, 8 and 10 replayed through the real processes: the built edge binary in front
 * of the built data-plane binary (two environments, client tokens required), and an echo server
 * that shows exactly which headers the edge forwards.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  rawExchange,
  ROOT,
  startDataPlane,
  startEcho,
  startEdge,
  type Child,
} from './processes.js';

const TOKEN = 'sdk-token-production-only';
const NOT_FOUND = {
  code: 5,
  message: 'operations endpoints are not served through environment URLs',
  details: [],
};

let dir: string;
let dp: Child & { url: string };
let edge: Child & { url: string; port: number };
let trustingEdge: Child & { url: string; port: number };
let echo: Awaited<ReturnType<typeof startEcho>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sy-edge-test-'));
  const flags = `${ROOT}apps/data-plane/test/fixtures/flags`;
  const config = {
    dataDir: join(dir, 'dp'),
    logLevel: 'info',
    trustEdgeHeader: true,
    auth: { required: true, tokens: [{ token: TOKEN, environments: ['production'] }] },
    environments: [
      { key: 'production', default: true, source: { type: 'dir', path: flags, watch: false } },
      { key: 'secret-launch-env', source: { type: 'dir', path: flags, watch: false } },
    ],
  };
  writeFileSync(join(dir, 'dp.json'), JSON.stringify(config));
  dp = await startDataPlane(join(dir, 'dp.json'));
  for (let i = 0; i < 100 && (await fetch(`${dp.url}/ready`)).status !== 200; i++)
    await new Promise((r) => setTimeout(r, 50));
  echo = await startEcho({
    connection: 'x-upstream-secret',
    'x-upstream-secret': 'internal',
    'keep-alive': 'timeout=5',
  });
  const routes = [
    { orgSlug: 'acme', environments: ['production', 'secret-launch-env'], upstream: dp.url },
    { orgSlug: 'echo', environments: ['production'], upstream: echo.url },
  ];
  edge = await startEdge(join(dir, 'edge'), routes, { EVAL_DOMAIN: 'flags.test' });
  trustingEdge = await startEdge(join(dir, 'edge2'), routes, { EDGE_TRUSTED_PROXIES: '127.0.0.1' });
}, 120_000);

afterAll(async () => {
  await Promise.all([edge?.stop(), trustingEdge?.stop(), dp?.stop()]);
  echo?.server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** node:http request with arbitrary headers (fetch refuses hop-by-hop ones). */
function send(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers, agent: false },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('issue 10 item 6: no operations endpoints through environment URLs', () => {
  it('the instance port still serves the operator the detail the attacker was after', async () => {
    const ready = await (await fetch(`${dp.url}/ready`)).text();
    expect(ready).toContain('secret-launch-env');
    expect(await (await fetch(`${dp.url}/metrics`)).text()).toContain(
      'switchyard_snapshot_revision_info',
    );
  });

  it('/ready and /metrics answer 404 in the closed shape, however they are spelled, in the path and the host form', async () => {
    const paths = [
      '/ready',
      '/metrics',
      '/ready/',
      '/READY',
      '/%72eady',
      '//ready',
      '/./metrics',
      '/metrics?name[]=x',
      '/ready#x',
      '/debug/pprof',
    ];
    const forms = [
      ...paths.map((p) => [`${edge.url}/e/acme/production${p}`, {}] as const),
      ...paths.map((p) => [`${edge.url}${p}`, { host: 'production.acme.flags.test' }] as const),
    ];
    for (const [url, headers] of forms) {
      const res = await send(url, { headers });
      expect(res.status, url).toBe(404);
      expect(JSON.parse(res.body), url).toEqual(NOT_FOUND);
      expect(res.body).not.toContain('secret-launch-env');
    }
  });

  it('an SDK without a token sees only a bare liveness answer; evaluation still needs the token', async () => {
    for (const [url, headers] of [
      [`${edge.url}/e/acme/production/health`, {}],
      [`${edge.url}/health`, { host: 'production.acme.flags.test' }],
    ] as const) {
      const res = await send(url, { headers });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ status: 'SERVING' });
    }
    const anonymous = await send(`${edge.url}/e/acme/production/evaluate/v1/variant`, {
      method: 'POST',
      body: '{"flagKey":"color","entityId":"u"}',
    });
    expect(anonymous.status).toBe(401);
    const ok = await send(`${edge.url}/e/acme/production/evaluate/v1/variant`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: '{"flagKey":"color","entityId":"u"}',
    });
    expect(ok.status).toBe(200);
  });
});

describe('issue 10 item 8: deep JSON through the edge is a 400 and the instance stays up', () => {
  it('100,000-deep arrays and objects are refused naming the limit; brackets inside strings do not count', async () => {
    const deep = [
      `{"flagKey":"color","entityId":"u","context":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      `{"flagKey":"color","entityId":"u","context":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`,
    ];
    for (const body of deep) {
      const res = await send(`${edge.url}/e/acme/production/evaluate/v1/variant`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
        body,
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({
        code: 3,
        message: expect.stringMatching(/^JSON nesting deeper than 64 levels/) as unknown,
      });
    }
    const inString = await send(`${edge.url}/e/acme/production/evaluate/v1/variant`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ flagKey: 'color', entityId: '['.repeat(100_000) }),
    });
    expect(inString.status).toBe(200);
    expect(dp.alive()).toBe(true);
  });
});

describe('issue 10 item 10: edge hygiene', () => {
  it('`Connection: close, authorization` strips the token: the instance refuses instead of authenticating', async () => {
    const res = await send(`${edge.url}/e/acme/production/evaluate/v1/variant`, {
      method: 'POST',
      headers: { connection: 'close, authorization', authorization: `Bearer ${TOKEN}` },
      body: '{"flagKey":"color","entityId":"u"}',
    });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({
      code: 16,
      message: 'request was not authenticated',
      details: [],
    });
  });

  it('hop-by-hop and Connection-named headers stay on their hop in both directions; forwarding headers are the edge’s own', async () => {
    echo.seen.length = 0;
    const res = await send(`${edge.url}/e/echo/production/x`, {
      headers: {
        connection: 'keep-alive, X-Secret, authorization',
        'x-secret': 'hop-only',
        authorization: 'Bearer hop-only',
        'keep-alive': 'timeout=5',
        'proxy-authorization': 'Basic hop-only',
        te: 'trailers',
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil.example',
        forwarded: 'for=6.6.6.6',
        'x-real-ip': '6.6.6.6',
        'x-switchyard-edge-environment': 'other',
        'x-end-to-end': 'kept',
      },
    });
    expect(res.status).toBe(200);
    const up = echo.seen[0]!;
    for (const h of [
      'x-secret',
      'authorization',
      'keep-alive',
      'proxy-authorization',
      'te',
      'forwarded',
      'x-real-ip',
    ])
      expect(up[h], h).toBeUndefined();
    expect(up['x-end-to-end']).toBe('kept');
    expect(up['x-forwarded-for']).toBe('127.0.0.1');
    expect(up['x-forwarded-proto']).toBe('http');
    expect(up['x-forwarded-host']).toBe(`127.0.0.1:${edge.port}`);
    expect(up['x-switchyard-edge-environment']).toBe('production');
    // The response's own Connection-named header does not reach the client either.
    expect(res.headers['x-upstream-secret']).toBeUndefined();
    expect(res.headers['keep-alive']).not.toBe('timeout=5');
  });

  it('behind a trusted proxy (EDGE_TRUSTED_PROXIES) the chain is extended and the original scheme and host kept', async () => {
    echo.seen.length = 0;
    await send(`${trustingEdge.url}/e/echo/production/x`, {
      headers: {
        'x-forwarded-for': '203.0.113.7',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'production.echo.flags.example',
      },
    });
    const up = echo.seen[0]!;
    expect(up['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(up['x-forwarded-proto']).toBe('https');
    expect(up['x-forwarded-host']).toBe('production.echo.flags.example');
  });

  it('every answer of the edge itself, 414, 431 and malformed requests included, is {code, message, details}', async () => {
    const shapeOf = (body: string) => Object.keys(JSON.parse(body) as object).sort();
    const longUrl = await send(
      `${edge.url}/e/acme/production/evaluate/v1/variant?x=${'a'.repeat(9_000)}`,
    );
    expect(longUrl.status).toBe(414);
    expect(JSON.parse(longUrl.body)).toEqual({
      code: 3,
      message: 'request URL longer than 8192 bytes',
      details: [],
    });
    const unknown = await send(`${edge.url}/e/nobody/production/evaluate/v1/variant`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toEqual({
      code: 5,
      message: 'no such environment',
      details: [],
    });
    for (const port of [edge.port, Number(new URL(dp.url).port)]) {
      const malformed = await rawExchange(port, 'GARBAGE\r\n\r\n');
      expect(malformed.status).toBe(400);
      expect(JSON.parse(malformed.body)).toEqual({
        code: 3,
        message: 'malformed HTTP request',
        details: [],
      });
      const huge = await rawExchange(
        port,
        `GET /e/acme/production/health HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
      );
      expect(huge.status).toBe(431);
      expect(shapeOf(huge.body)).toEqual(['code', 'details', 'message']);
    }
    expect(edge.alive() && dp.alive()).toBe(true);
  });

  it('an instance not listening yet (starting) is a 503 with Retry-After in the closed shape', async () => {
    const dead = await startEdge(join(dir, 'edge3'), [
      { orgSlug: 'gone', environments: ['production'], upstream: 'http://127.0.0.1:1' },
    ]);
    try {
      const res = await send(`${dead.url}/e/gone/production/evaluate/v1/boolean`, {
        method: 'POST',
        body: '{}',
      });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(JSON.parse(res.body)).toEqual({
        code: 14,
        message: 'environment starting; retry in a moment',
        details: [],
      });
      // Expected while an instance starts: an info line, not an upstream failure.
      await dead.waitFor((l) => l['msg'] === 'instance not accepting connections yet (starting)');
      expect(dead.output()).not.toContain('upstream request failed');
    } finally {
      await dead.stop();
    }
  });
});
