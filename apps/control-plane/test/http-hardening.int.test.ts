/**
 * Issue 10 items 8 and 10 on the control plane, over real HTTP against the listening app: deep
 * JSON bodies are a 400 naming the limit (never a RangeError → 500) and the process keeps
 * serving; every error the HTTP server produces, before routing included, is `{code, message,
 * details}`.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsFixture, variantFlag, type FlagsFixture } from './flags/flags-helpers.js';

let f: FlagsFixture;
let origin: string;
let port: number;

beforeAll(async () => {
  f = await flagsFixture();
  await f.t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = f.t.app.getHttpServer().address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  origin = `http://127.0.0.1:${port}`;
});
afterAll(() => f.t.close());

const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

async function putFlag(
  key: string,
  bodyText: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const rev = await f.revision('prod');
  const res = await fetch(`${origin}${f.base('prod')}/namespaces/default/flags/${key}`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${f.owner.token}`,
      'content-type': 'application/json',
      'if-match': `"${rev}"`,
    },
    body: bodyText,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Sends raw bytes and returns the whole raw answer (the server closes the connection after an error). */
function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.on('data', (d: Buffer) => (out += d.toString('latin1')));
    socket.on('end', () => resolve(out));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.end(bytes);
  });
}

function parseRaw(answer: string): { status: number; body: unknown } {
  const [head, body] = [
    answer.slice(0, answer.indexOf('\r\n\r\n')),
    answer.slice(answer.indexOf('\r\n\r\n') + 4),
  ];
  return { status: Number(head.split(' ')[1]), body: JSON.parse(body) as unknown };
}

describe('issue 10 item 8: deep JSON is a 400 naming the limit, not a 500', () => {
  it('a variant attachment nested 1,000 and 100,000 levels (objects and arrays) is refused before zod; the process keeps serving', async () => {
    for (const attachment of [deepObject(1_000), deepObject(100_000), deepArray(100_000)]) {
      const text = JSON.stringify(variantFlag('deep')).replace(
        '{"key":"on"}',
        `{"key":"on","attachment":{"x":${attachment}}}`,
      );
      expect(text.length).toBeGreaterThan(4_000);
      const res = await putFlag('deep', text);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: 'InvalidArgument', details: [{ path: 'body' }] });
      expect(res.json['message']).toMatch(/^JSON nesting deeper than 64 levels/);
    }
    // Brackets inside strings do not count, and a legitimate nested attachment still saves.
    const fine = variantFlag('fine', {
      description: deepArray(5_000),
      variants: [{ key: 'on', attachment: { a: { b: [{ c: [1, 2, 3] }] } } }, { key: 'off' }],
    });
    const ok = await putFlag('fine', JSON.stringify(fine));
    expect(ok.status).toBe(200);
    expect(
      (
        await fetch(`${origin}/api/v1/orgs/home/environments/prod/namespaces/default/flags/fine`, {
          headers: { authorization: `Bearer ${f.owner.token}` },
        })
      ).status,
    ).toBe(200);
  });

  it('also before authentication (any JSON route)', async () => {
    const res = await fetch(`${origin}/api/v1/orgs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"slug":${deepArray(100_000)}}`,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringMatching(/^JSON nesting deeper than 64 levels/) as unknown,
    });
  });
});

describe('issue 10 item 10: control-plane errors use the closed shape, client errors included', () => {
  it('malformed requests, oversized header sections and URLs answer {code, message, details}', async () => {
    const malformed = parseRaw(await raw('GARBAGE\r\n\r\n'));
    expect(malformed).toEqual({
      status: 400,
      body: { code: 'InvalidArgument', message: 'malformed HTTP request', details: [] },
    });
    const bigHeader = parseRaw(
      await raw(`GET /api/v1/orgs HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`),
    );
    expect(bigHeader).toEqual({
      status: 431,
      body: {
        code: 'InvalidArgument',
        message: 'request header section (or URL) too large',
        details: [],
      },
    });
    const bigUrl = parseRaw(
      await raw(`GET /api/v1/orgs/${'a'.repeat(20_000)} HTTP/1.1\r\nhost: x\r\n\r\n`),
    );
    expect(bigUrl.status).toBe(431);
    expect(bigUrl.body).toMatchObject({ code: 'InvalidArgument', details: [] });
  });

  it('routing and parsing errors of Fastify (unknown route, long parameter, bad JSON, wrong type) answer the closed shape', async () => {
    const cases: Array<[string, RequestInit]> = [
      ['/api/v1/nope', {}],
      [
        `/api/v1/orgs/${'a'.repeat(5_000)}`,
        { headers: { authorization: `Bearer ${f.owner.token}` } },
      ],
      [
        '/api/v1/orgs',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${f.owner.token}` },
          body: '{"slug":',
        },
      ],
      [
        '/api/v1/orgs',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${f.owner.token}` },
          body: '',
        },
      ],
      [
        '/api/v1/orgs',
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-unknown',
            authorization: `Bearer ${f.owner.token}`,
          },
          body: 'x',
        },
      ],
      [
        '/api/v1/orgs',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${f.owner.token}` },
          body: '{"__proto__":{"x":1}}',
        },
      ],
    ];
    const tooLong = await fetch(`${origin}${cases[1]![0]}`, cases[1]![1]);
    expect(tooLong.status).toBe(414);
    expect(await tooLong.json()).toEqual({
      code: 'InvalidArgument',
      message: 'a path segment of the URL is too long',
      details: [],
    });
    for (const [path, init] of cases) {
      const res = await fetch(`${origin}${path}`, init);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort(), `${path} ${JSON.stringify(body)}`).toEqual([
        'code',
        'details',
        'message',
      ]);
      expect(['NotFound', 'InvalidArgument', 'Unauthenticated', 'ResourceExhausted']).toContain(
        body['code'],
      );
    }
  });
});
