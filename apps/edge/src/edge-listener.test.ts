import { createServer as createHttp1, type Server as Http1Server } from 'node:http';
import { connect as connectH2, createServer as createH2 } from 'node:http2';
import { connect, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeListener } from './edge-listener.js';

let http1: Http1Server;
let listener: Server;
let port: number;
beforeAll(async () => {
  http1 = createHttp1({ connectionsCheckingInterval: 50, headersTimeout: 300 }, (req, res) =>
    res.end(`h1 ${req.url}`),
  );
  const h2 = createH2((req, res) => res.end(`h2 ${req.url}`));
  listener = createEdgeListener(http1, h2);
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  port = (listener.address() as AddressInfo).port;
});
afterAll(() => {
  http1.close();
  listener.close();
});

describe('one port for HTTP/1.1 and h2c', () => {
  it('hands each connection to the server of its protocol', async () => {
    expect(await (await fetch(`http://127.0.0.1:${port}/a`)).text()).toBe('h1 /a');
    const session = connectH2(`http://127.0.0.1:${port}`);
    const body = await new Promise<string>((resolve, reject) => {
      const req = session.request({ ':path': '/b' });
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => resolve(text));
      req.on('error', reject);
      req.end();
    });
    session.close();
    expect(body).toBe('h2 /b');
  });

  it("keeps node:http's header timeout for slow HTTP/1.1 clients", async () => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString()));
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n'); // never finishes its headers
    await new Promise((r) => socket.on('close', r));
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
