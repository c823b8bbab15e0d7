import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFixture } from './helpers/fixture.js';
import { startInProcess, TOKENS, type TestInstance } from './helpers/in-process.js';

let t: TestInstance;
beforeAll(async () => {
  t = await startInProcess();
});
afterAll(() => t.dp.close());

const auth = { authorization: `Bearer ${TOKENS.all}` };
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(t.url + path, { headers: { ...auth, ...headers } });

/** Opens a streaming GET and collects lines until `count` arrived. */
function streamLines(path: string, headers: Record<string, string> = {}) {
  const lines: string[] = [];
  let status = 0;
  const waiters: Array<() => void> = [];
  const req = request(t.url + path, { headers: { ...auth, ...headers } }, (res) => {
    status = res.statusCode ?? 0;
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => {
      buf += c;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        lines.push(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
      waiters.splice(0).forEach((w) => w());
    });
  });
  req.on('error', () => undefined); // destroy() before headers is a normal way to stop here
  req.end();
  const until = async (pred: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timeout; lines: ${lines.join('|')}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 50);
      });
    }
  };
  return { lines, status: () => status, until, close: () => req.destroy() };
}

describe('snapshots', () => {
  it('serves the v1 and v2 snapshot paths with the digest as ETag on 200 and 304', async () => {
    const ns = t.dp.registry.snapshot('production')!.namespaces.get('default')!;
    const r = await get('/internal/v1/evaluation/snapshot/namespace/default');
    expect(r.status).toBe(200);
    expect(r.headers.get('etag')).toBe(ns.digest);
    const body = (await r.json()) as {
      digest: string;
      namespace: { key: string };
      flags: unknown[];
    };
    expect(body.digest).toBe(ns.digest);
    expect(body.namespace.key).toBe('default');
    expect(body.flags.length).toBe(5);
    const r304 = await get('/client/v2/environments/production/namespaces/default/snapshot', {
      'if-none-match': ns.digest,
    });
    expect(r304.status).toBe(304);
    expect(r304.headers.get('etag')).toBe(ns.digest);
    expect(await r304.text()).toBe('');
    const staging = await get('/internal/v1/evaluation/snapshot/namespace/default', {
      'x-flipt-environment': 'staging',
    });
    expect(staging.headers.get('etag')).not.toBe(ns.digest);
  });

  it('compresses large answers when the client accepts gzip', async () => {
    const res = await new Promise<{ encoding: string | undefined; etag: string | undefined }>(
      (resolve) => {
        request(
          t.url + '/internal/v1/evaluation/snapshot/namespace/default',
          { headers: { ...auth, 'accept-encoding': 'gzip' } },
          (r) => {
            r.resume();
            resolve({ encoding: r.headers['content-encoding'], etag: r.headers.etag });
          },
        ).end();
      },
    );
    expect(res.encoding).toBe('gzip');
    expect(res.etag).toBeTruthy();
  });

  it('404s for a missing namespace or environment', async () => {
    const r = await get('/internal/v1/evaluation/snapshot/namespace/nope');
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({
      code: 5,
      message: 'evaluation snapshot for namespace "nope" not found',
      details: [],
    });
    expect((await get('/client/v2/environments/nope/namespaces/default/snapshot')).status).toBe(
      404,
    );
    expect((await fetch(t.url + '/internal/v1/evaluation/snapshot/namespace/default')).status).toBe(
      401,
    );
  });
});

describe('snapshot stream', () => {
  it('sends the current snapshot, then every change; skips an unchanged digest', async () => {
    const s = streamLines('/client/v2/environments/staging/namespaces/default/stream');
    await s.until(() => s.lines.length >= 1);
    expect(s.status()).toBe(200);
    const first = JSON.parse(s.lines[0]!) as { result: { digest: string } };
    expect(first.result.digest).toBe(
      t.dp.registry.snapshot('staging')!.namespaces.get('default')!.digest,
    );
    t.dp.registry.publish('staging', compileFixture('c'.repeat(40)), Date.now());
    await s.until(() => s.lines.length >= 2);
    const second = JSON.parse(s.lines[1]!) as { result: { digest: string } };
    expect(second.result.digest).not.toBe(first.result.digest);
    s.close();
    const resumed = streamLines(
      `/client/v2/environments/staging/namespaces/default/stream?digest=${second.result.digest}`,
    );
    await new Promise((r) => setTimeout(r, 150));
    expect(resumed.lines).toEqual([]);
    resumed.close();
  });

  it('rejects a bad digest with an error line', async () => {
    const s = streamLines('/client/v2/environments/staging/namespaces/default/stream?digest=abc');
    await s.until(() => s.lines.length >= 1);
    expect(s.status()).toBe(400);
    expect(JSON.parse(s.lines[0]!)).toEqual({
      error: { code: 3, message: 'digest must be 40 characters', details: [] },
    });
  });

  it('speaks SSE when asked, and the OFREP alias requires it', async () => {
    const s = streamLines('/ofrep/v1/_stream/production/default/events', {
      accept: 'text/event-stream',
    });
    await s.until(() => s.lines.some((l) => l.startsWith('data: ')));
    const data = JSON.parse(s.lines.find((l) => l.startsWith('data: '))!.slice(6)) as {
      etag: string;
      type: string;
    };
    expect(data).toEqual({
      etag: t.dp.registry.snapshot('production')!.namespaces.get('default')!.digest,
      type: 'refetchEvaluation',
    });
    s.close();
    expect((await get('/ofrep/v1/_stream/production/default/events')).status).toBe(406);
  });
});

describe('OFREP', () => {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(t.url + path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { ...auth, 'content-type': 'application/json', ...headers },
    });

  it('evaluates single flags in the OFREP shape', async () => {
    const v = await post('/ofrep/v1/evaluate/flags/color', {
      context: { targetingKey: 'u1', plan: 'pro' },
    });
    expect(await v.json()).toEqual({
      key: 'color',
      reason: 'TARGETING_MATCH',
      variant: 'red',
      metadata: { segments: 'beta-users', attachment: '{"hex":"#f00","weight":1}' },
      value: 'red',
    });
    const b = await post('/ofrep/v1/evaluate/flags/kill-switch', {
      context: { targetingKey: 'u1' },
    });
    expect(await b.json()).toEqual({
      key: 'kill-switch',
      reason: 'DEFAULT',
      variant: 'true',
      value: true,
    });
  });

  it('maps errors to errorCode', async () => {
    const nf = await post('/ofrep/v1/evaluate/flags/nope', { context: { targetingKey: 'u' } });
    expect(nf.status).toBe(404);
    expect(await nf.json()).toEqual({
      key: 'nope',
      errorCode: 'FLAG_NOT_FOUND',
      errorDetails: 'flag was not found nope',
    });
    const bad = await post('/ofrep/v1/evaluate/flags/color', {
      context: { targetingKey: 'u', n: 1 },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errorCode: 'INVALID_CONTEXT' });
  });

  it('bulk-evaluates boolean and enabled variant flags with a weak ETag and event streams', async () => {
    const r = await post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'u1' } });
    const etag = r.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
    const body = (await r.json()) as { flags: Array<{ key: string }>; eventStreams: unknown[] };
    expect(body.flags.map((f) => f.key)).toEqual([
      'color',
      'dark-mode',
      'kill-switch',
      'no-default',
    ]);
    expect(body.eventStreams).toEqual([
      { type: 'sse', endpoint: { requestUri: '/ofrep/v1/_stream/production/default/events' } },
    ]);
    expect(
      (
        await post(
          '/ofrep/v1/evaluate/flags',
          { context: { targetingKey: 'u1' } },
          { 'if-none-match': etag },
        )
      ).status,
    ).toBe(304);
    const some = (await (
      await post('/ofrep/v1/evaluate/flags', {
        context: { targetingKey: 'u1', flags: 'kill-switch' },
      })
    ).json()) as { flags: unknown[] };
    expect(some.flags).toHaveLength(1);
  });

  it('serves the configuration document', async () => {
    const r = await get('/ofrep/v1/configuration');
    expect(await r.json()).toMatchObject({
      name: 'flipt',
      capabilities: { flagEvaluation: { supportedTypes: ['string', 'boolean'] } },
    });
  });
});

describe('read API', () => {
  it('lists flags sorted by key with pagination', async () => {
    const all = (await (await get('/api/v1/namespaces/default/flags')).json()) as {
      flags: Array<{ key: string }>;
      totalCount: number;
      nextPageToken: string;
    };
    expect(all.flags.map((f) => f.key)).toEqual([
      'color',
      'dark-mode',
      'disabled-variant',
      'kill-switch',
      'no-default',
    ]);
    expect(all.totalCount).toBe(5);
    const page = (await (
      await get('/api/v1/namespaces/default/flags?limit=2&pageToken=2')
    ).json()) as { flags: Array<{ key: string }>; nextPageToken: string };
    expect(page.flags.map((f) => f.key)).toEqual(['disabled-variant', 'kill-switch']);
    expect(page.nextPageToken).toBe('4');
    expect((await get('/api/v1/namespaces/default/flags?pageToken=9')).status).toBe(400);
  });

  it('gets one flag in the v1 Flag shape', async () => {
    const f = (await (await get('/api/v1/namespaces/default/flags/color')).json()) as Record<
      string,
      unknown
    >;
    expect(Object.keys(f)).toEqual([
      'key',
      'name',
      'description',
      'enabled',
      'variants',
      'namespaceKey',
      'type',
      'defaultVariant',
      'metadata',
    ]);
    expect(f).toMatchObject({
      key: 'color',
      name: 'Color',
      enabled: true,
      type: 'VARIANT_FLAG_TYPE',
      namespaceKey: 'default',
      metadata: { team: 'web' },
    });
    expect((f.variants as Array<Record<string, string>>)[0]).toEqual({
      id: 'color/red',
      flagKey: 'color',
      key: 'red',
      name: 'Red',
      description: '',
      attachment: '{"hex":"#f00","weight":1}',
      namespaceKey: 'default',
    });
    expect((f.defaultVariant as { key: string }).key).toBe('green');
    expect((await get('/api/v1/namespaces/default/flags/nope')).status).toBe(404);
  });
});

describe('mirror endpoints', () => {
  it('serves the source files and a revision watch', async () => {
    const src = (await (await get('/api/switchyard/v1/environments/production/source')).json()) as {
      revision: string;
      files: Record<string, string>;
    };
    expect(src.revision).toBe('a'.repeat(40));
    expect(Buffer.from(src.files['default/features.yaml']!, 'base64').toString()).toContain(
      'key: color',
    );
    const w = streamLines('/api/switchyard/v1/environments/production/watch');
    await w.until(() => w.lines.length >= 1);
    t.dp.registry.publish('production', compileFixture('d'.repeat(40)), Date.now());
    await w.until(() => w.lines.length >= 2);
    expect(w.lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { revision: 'a'.repeat(40) },
      { revision: 'd'.repeat(40) },
    ]);
    w.close();
    expect(
      (
        await get('/api/switchyard/v1/environments/staging/source', {
          authorization: `Bearer ${TOKENS.prodOnly}`,
        })
      ).status,
    ).toBe(403);
  });
});
