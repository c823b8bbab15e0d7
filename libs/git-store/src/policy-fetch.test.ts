import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSwitchyardError } from '@switchyard/flags';
import { policyFetch } from './policy-fetch.js';

let server: Server;
let port = 0;
let hits = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    hits += 1;
    if (req.url === '/redirect') {
      res.writeHead(302, { location: 'http://127.0.0.1:1/' }).end();
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ method: req.method, host: req.headers.host, body })),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('policyFetch', () => {
  it('connects to the address it checked for a name the system cannot resolve (pinned lookup)', async () => {
    const fetch = policyFetch({
      allowedOrigins: [`http://idp.switchyard.test:${port}`],
      resolve: () => Promise.resolve(['127.0.0.1']),
    });
    const res = await fetch(`http://idp.switchyard.test:${port}/token`, {
      method: 'POST',
      body: new URLSearchParams({ a: '1' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      method: 'POST',
      host: `idp.switchyard.test:${port}`,
      body: 'a=1',
    });
  });

  it('refuses loopback targets that are not allow-listed, before connecting', async () => {
    hits = 0;
    const fetch = policyFetch(
      { allowedOrigins: [`http://127.0.0.1:${port + 1}`] },
      { field: 'issuer' },
    );
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://vm:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
    ]) {
      const err = await fetch(url).catch((e: unknown) => e);
      expect(isSwitchyardError(err, 'InvalidArgument'), url).toBe(true);
      expect((err as { details: { path: string }[] }).details[0]?.path).toBe('issuer');
    }
    expect(hits).toBe(0);
  });

  it('never follows redirects', async () => {
    const fetch = policyFetch({ allowedOrigins: [`http://127.0.0.1:${port}`] });
    const res = await fetch(`http://127.0.0.1:${port}/redirect`);
    expect(res.status).toBe(302);
  });
});
