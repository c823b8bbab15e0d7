import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentEventsUrl, parseCommitEvent } from './live';

describe('environment events', () => {
  it('names the stream and reads commit frames, refusing anything else', () => {
    expect(environmentEventsUrl('acme', 'prod')).toBe('/api/v1/orgs/acme/environments/prod/events');
    const commit = {
      revision: 'a'.repeat(40),
      author: { name: 'Ada', email: 'ada@example.com' },
      message: 'Turn it on',
      changedFlags: [{ namespace: 'default', key: 'banner' }],
    };
    expect(parseCommitEvent(JSON.stringify(commit))).toEqual(commit);
    expect(parseCommitEvent(JSON.stringify({ ...commit, author: null }))?.author).toBeNull();
    expect(parseCommitEvent('{}')).toBeNull();
    expect(parseCommitEvent('not json')).toBeNull();
  });
});

// The console's same-origin proxy against a real streaming server standing in for the control plane.
describe('the /api proxy with an event stream', () => {
  let server: Server;
  let upstream: ServerResponse | undefined;
  let upstreamClosed: Promise<void>;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      upstream = res;
      upstreamClosed = new Promise((resolve) => res.on('close', () => resolve()));
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache, no-transform',
      });
      res.write('event: commit\ndata: {"n":1}\n\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env['CONTROL_PLANE_URL'] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes frames through as they come, and closes upstream when the browser leaves', async () => {
    const { proxyToControlPlane } = await import('./proxy-request');
    const leave = new AbortController();
    const res = await proxyToControlPlane(
      new Request('http://console.test/api/v1/orgs/acme/environments/prod/events', {
        signal: leave.signal,
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    // The first frame arrives while the upstream response is still open (not buffered to the end).
    expect(decoder.decode((await reader.read()).value)).toBe('event: commit\ndata: {"n":1}\n\n');
    upstream!.write('event: commit\ndata: {"n":2}\n\n');
    expect(decoder.decode((await reader.read()).value)).toBe('event: commit\ndata: {"n":2}\n\n');
    leave.abort();
    await upstreamClosed;
  });
});
