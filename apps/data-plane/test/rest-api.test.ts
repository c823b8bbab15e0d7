import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, TOKENS, type TestInstance } from './helpers/in-process.js';

let t: TestInstance;
beforeAll(async () => {
  t = await startInProcess();
});
afterAll(() => t.dp.close());

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(t.url + path, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { authorization: `Bearer ${TOKENS.all}`, ...headers },
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

describe('POST /evaluate/v1/*', () => {
  it('answers a variant evaluation with every field in proto order', async () => {
    const r = await post('/evaluate/v1/variant', {
      flagKey: 'color',
      entityId: 'u1',
      context: { plan: 'pro' },
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json!)).toEqual([
      'match',
      'segmentKeys',
      'reason',
      'variantKey',
      'variantAttachment',
      'requestId',
      'requestDurationMillis',
      'timestamp',
      'flagKey',
    ]);
    expect(r.json).toMatchObject({
      match: true,
      segmentKeys: ['beta-users'],
      reason: 'MATCH_EVALUATION_REASON',
      variantKey: 'red',
      flagKey: 'color',
    });
    expect(JSON.parse(r.json!.variantAttachment as string)).toEqual({ hex: '#f00', weight: 1 });
    expect(r.json!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.json!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(r.headers.get('x-request-id')).toBeTruthy();
  });

  it('accepts proto names, ignores unknown fields, echoes requestId, tolerates trailing slash and any content type', async () => {
    const r = await post(
      '/evaluate/v1/boolean/',
      { flag_key: 'kill-switch', entity_id: 'x', request_id: 'r-1', whatever: 1 },
      { 'content-type': 'text/plain' },
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      enabled: true,
      reason: 'DEFAULT_EVALUATION_REASON',
      requestId: 'r-1',
      flagKey: 'kill-switch',
      segmentKeys: [],
    });
    expect(Object.keys(r.json!)).toEqual([
      'enabled',
      'reason',
      'requestId',
      'requestDurationMillis',
      'timestamp',
      'flagKey',
      'segmentKeys',
    ]);
  });

  it('answers batches in order with error items for unknown flags', async () => {
    const r = await post('/evaluate/v1/batch', {
      requestId: 'b1',
      requests: [
        { flagKey: 'dark-mode', entityId: 'u', context: { plan: 'pro' }, requestId: 'i1' },
        { flagKey: 'nope', entityId: 'u', namespaceKey: 'default' },
        { flagKey: 'color', entityId: 'u' },
        { flagKey: 'nope', entityId: 'u' },
      ],
    });
    expect(r.status).toBe(200);
    const responses = r.json!.responses as Array<Record<string, Record<string, unknown>>>;
    expect(responses.map((x) => x.type)).toEqual([
      'BOOLEAN_EVALUATION_RESPONSE_TYPE',
      'ERROR_EVALUATION_RESPONSE_TYPE',
      'VARIANT_EVALUATION_RESPONSE_TYPE',
      'ERROR_EVALUATION_RESPONSE_TYPE',
    ]);
    // Error items echo the namespace as sent, "" when the request named none (Flipt).
    expect(responses[3]!.errorResponse).toEqual({
      flagKey: 'nope',
      namespaceKey: '',
      reason: 'NOT_FOUND_ERROR_EVALUATION_REASON',
    });
    expect(responses[0]!.booleanResponse).toMatchObject({
      enabled: true,
      requestId: 'i1',
      requestDurationMillis: r.json!.requestDurationMillis,
    });
    expect(responses[1]!.errorResponse).toEqual({
      flagKey: 'nope',
      namespaceKey: 'default',
      reason: 'NOT_FOUND_ERROR_EVALUATION_REASON',
    });
    expect(responses[2]!.variantResponse).toMatchObject({
      reason: 'DEFAULT_EVALUATION_REASON',
      variantKey: 'green',
      requestId: '',
    });
    expect(r.json!.requestId).toBe('b1');
  });

  it('selects the namespace from X-Flipt-Namespace when the body has none', async () => {
    const r = await post(
      '/evaluate/v1/boolean',
      { flagKey: 'ns-flag', entityId: 'u' },
      { 'x-flipt-namespace': 'other' },
    );
    expect(r.json).toMatchObject({ enabled: true });
  });

  it('selects environments: body, header, edge, default; unknown named environment → 404', async () => {
    const body = { flagKey: 'kill-switch', entityId: 'u' };
    expect(
      (await post('/evaluate/v1/boolean', { ...body, environmentKey: 'staging' })).status,
    ).toBe(200);
    expect(
      (await post('/evaluate/v1/boolean', body, { 'x-flipt-environment': 'staging' })).status,
    ).toBe(200);
    expect(
      (await post('/evaluate/v1/boolean', body, { 'x-flipt-environment': 'default' })).status,
    ).toBe(200);
    const unknown = await post('/evaluate/v1/boolean', body, { 'x-flipt-environment': 'nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ code: 5, message: 'environment "nope" not found', details: [] });
    expect((await post('/evaluate/v1/boolean', { ...body, environmentKey: 'nope' })).status).toBe(
      404,
    );
    expect(
      (await post('/evaluate/v1/boolean', body, { 'x-switchyard-edge-environment': 'nope' }))
        .status,
    ).toBe(404);
  });

  it('echoes a sane X-Request-Id and replaces an oversized or odd one', async () => {
    const ok = await post(
      '/evaluate/v1/boolean',
      { flagKey: 'kill-switch', entityId: 'u' },
      { 'x-request-id': 'trace-123' },
    );
    expect(ok.headers.get('x-request-id')).toBe('trace-123');
    const long = await post(
      '/evaluate/v1/boolean',
      { flagKey: 'kill-switch', entityId: 'u' },
      { 'x-request-id': 'x'.repeat(500) },
    );
    expect(long.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const spaced = await post(
      '/evaluate/v1/boolean',
      { flagKey: 'kill-switch', entityId: 'u' },
      { 'x-request-id': 'a b\tc' },
    );
    expect(spaced.status).toBe(200);
    expect(spaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('pretty-prints with ?pretty', async () => {
    const r = await post('/evaluate/v1/boolean?pretty', { flagKey: 'kill-switch', entityId: 'u' });
    expect(r.text).toContain('\n  "enabled": true');
  });
});

describe('malformed requests get 4xx in Flipt error shape, never 500', () => {
  const cases: Array<[string, string, unknown, number, string | RegExp]> = [
    [
      'number context value',
      '/evaluate/v1/variant',
      { flagKey: 'color', entityId: 'u', context: { a: 1 } },
      400,
      'invalid values for key(s) in json body',
    ],
    [
      'bool context value',
      '/evaluate/v1/boolean',
      { flagKey: 'kill-switch', entityId: 'u', context: { a: true } },
      400,
      'invalid values for key(s) in json body',
    ],
    [
      'number flagKey',
      '/evaluate/v1/variant',
      { flagKey: 5, entityId: 'u' },
      400,
      'invalid values for key(s) in json body',
    ],
    ['array body', '/evaluate/v1/variant', [], 400, /invalid values/],
    ['invalid JSON', '/evaluate/v1/variant', '{"flagKey":', 400, 'invalid JSON request body'],
    [
      'unknown flag',
      '/evaluate/v1/variant',
      { flagKey: 'nope', entityId: 'u' },
      404,
      'flag "default/nope" not found',
    ],
    [
      'unknown namespace',
      '/evaluate/v1/variant',
      { flagKey: 'x', entityId: 'u', namespaceKey: 'nope' },
      404,
      /not found/,
    ],
    [
      'boolean flag on variant route',
      '/evaluate/v1/variant',
      { flagKey: 'kill-switch', entityId: 'u' },
      400,
      /BOOLEAN_FLAG_TYPE/,
    ],
    ['requests not a list', '/evaluate/v1/batch', { requests: 'x' }, 400, /invalid values/],
    ['unknown route', '/evaluate/v1/nope', {}, 404, /no route/],
  ];
  for (const [name, path, body, status, message] of cases) {
    it(name, async () => {
      const r = await post(path, body);
      expect(r.status).toBe(status);
      expect(Object.keys(r.json!)).toEqual(['code', 'message', 'details']);
      expect(r.json!.message).toMatch(message);
    });
  }

  it('prototype-looking context keys are plain data', async () => {
    const r = await post(
      '/evaluate/v1/variant',
      '{"flagKey":"color","entityId":"u","context":{"__proto__":"x","constructor":"y","plan":"pro"}}',
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ variantKey: 'red' });
  });

  it('null context values are tolerated as ""', async () => {
    expect(
      (
        await post('/evaluate/v1/variant', {
          flagKey: 'color',
          entityId: 'u',
          context: { plan: null },
        })
      ).status,
    ).toBe(200);
  });

  it('a body over 1 MiB is 413', async () => {
    const r = await post('/evaluate/v1/variant', {
      flagKey: 'color',
      entityId: 'u',
      context: { big: 'x'.repeat(1100 * 1024) },
    });
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ code: 8, details: [] });
  });

  it('survives clients that abort mid-body on any route', async () => {
    const port = Number(new URL(t.url).port);
    for (const path of [
      '/health',
      '/evaluate/v1/boolean',
      '/ofrep/v1/evaluate/flags',
      '/nope',
      '/client/v2/environments/production/namespaces/default/stream',
    ]) {
      await new Promise<void>((resolve) => {
        const s = connect(port, '127.0.0.1', () => {
          s.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"a":`);
          setTimeout(() => {
            s.resetAndDestroy();
            resolve();
          }, 50);
        });
        s.on('error', () => resolve());
      });
    }
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });

  it('invalid UTF-8 and NaN are 400', async () => {
    const res = await fetch(t.url + '/evaluate/v1/variant', {
      method: 'POST',
      body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
      headers: { authorization: `Bearer ${TOKENS.all}` },
    });
    expect(res.status).toBe(400);
    expect((await post('/evaluate/v1/variant', '{"flagKey":"color","entityId":NaN}')).status).toBe(
      400,
    );
  });
});

describe('client tokens', () => {
  const body = { flagKey: 'kill-switch', entityId: 'u' };
  it('rejects a missing or wrong token with 401', async () => {
    for (const authorization of ['', 'Bearer wrong', 'Basic abc', TOKENS.all]) {
      const r = await post('/evaluate/v1/boolean', body, { authorization });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ code: 16, message: 'request was not authenticated', details: [] });
    }
  });
  it('enforces environment and namespace scopes with 403', async () => {
    expect(
      (await post('/evaluate/v1/boolean', body, { authorization: `Bearer ${TOKENS.prodOnly}` }))
        .status,
    ).toBe(200);
    const r = await post('/evaluate/v1/boolean', body, {
      authorization: `Bearer ${TOKENS.prodOnly}`,
      'x-flipt-environment': 'staging',
    });
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ code: 7 });
    expect(
      (await post('/evaluate/v1/boolean', body, { authorization: `Bearer ${TOKENS.otherNs}` }))
        .status,
    ).toBe(403);
    expect(
      (
        await post(
          '/evaluate/v1/boolean',
          { ...body, flagKey: 'ns-flag', namespaceKey: 'other' },
          { authorization: `Bearer ${TOKENS.otherNs}` },
        )
      ).status,
    ).toBe(200);
  });
  it('can replace the token table at runtime', async () => {
    t.dp.tokens.replace([{ token: 'fresh', environments: '*' }]);
    expect((await post('/evaluate/v1/boolean', body)).status).toBe(401);
    expect(
      (await post('/evaluate/v1/boolean', body, { authorization: 'Bearer fresh' })).status,
    ).toBe(200);
    t.dp.tokens.replace([
      { token: TOKENS.all, environments: '*' },
      { token: TOKENS.prodOnly, environments: ['production'] },
      { token: TOKENS.otherNs, environments: '*', namespaces: ['other'] },
    ]);
  });
});
