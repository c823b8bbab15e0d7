/**
 * An SSRF canary: a TCP listener on loopback that records every connection made to it and what
 * the client sent first, classified as a TLS ClientHello, an SSH banner or an HTTP request. A test
 * points every refused vector at it and asserts that it saw nothing. It never answers, so a client
 * that did connect waits until its own deadline (the canary closes sockets after `holdMs`).
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';

/** One connection the canary received. */
export interface CanaryHit {
  /** `tls`, `ssh`, `http`, or `silent` when nothing was sent before the socket closed. */
  kind: 'tls' | 'ssh' | 'http' | 'other' | 'silent';
  firstBytes: string;
}

/** A running canary. */
export interface Canary {
  host: string;
  port: number;
  hits: CanaryHit[];
  close(): Promise<void>;
}

function classify(first: Buffer): CanaryHit['kind'] {
  if (first.length === 0) return 'silent';
  if (first[0] === 0x16 && first[1] === 0x03) return 'tls';
  const text = first.subarray(0, 8).toString('latin1');
  if (text.startsWith('SSH-')) return 'ssh';
  if (/^(GET|POST|HEAD|PUT|OPTIONS) /u.test(text)) return 'http';
  return 'other';
}

/** Starts a canary on 127.0.0.1 (ephemeral port). */
export async function startCanary(options: { holdMs?: number } = {}): Promise<Canary> {
  const hits: CanaryHit[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    const hit: CanaryHit = { kind: 'silent', firstBytes: '' };
    hits.push(hit);
    socket.once('data', (chunk: Buffer) => {
      hit.kind = classify(chunk);
      hit.firstBytes = chunk.subarray(0, 32).toString('hex');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    setTimeout(() => socket.destroy(), options.holdMs ?? 500).unref();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
