/**
 * One port for HTTP/1.1 and HTTP/2 cleartext with prior knowledge (h2c, what gRPC clients speak
 * without TLS). Node's cleartext HTTP/2 server cannot fall back to HTTP/1.1 (`allowHTTP1` is TLS
 * only), so the listener reads the first bytes of each connection: HTTP/2's connection preface
 * starts with `PRI * HTTP/2.0`, which no HTTP/1.1 request line does. The bytes are put back and the
 * socket handed to the right server unchanged.
 */
import { createServer, type Server, type Socket } from 'node:net';

/** A connection-level event target: `http.Server` and `Http2Server` both take `connection`. */
interface ConnectionServer {
  emit(event: 'connection', socket: Socket): boolean;
  emit(event: 'listening'): boolean;
}

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');

/** Creates the shared listener (not listening). */
export function createEdgeListener(http1: ConnectionServer, http2: ConnectionServer): Server {
  const listener = createServer({ pauseOnConnect: false }, (socket) => {
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      seen = Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, PREFACE.length);
      const h2 = seen.subarray(0, n).equals(PREFACE.subarray(0, n));
      // Wait for more bytes only while a short read could still be either protocol.
      if (h2 && n < PREFACE.length) return;
      socket.off('data', onData);
      socket.pause();
      socket.unshift(seen);
      (h2 ? http2 : http1).emit('connection', socket);
      process.nextTick(() => socket.resume());
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  });
  // node:http tracks connections (and enforces its header and request timeouts, the slow-client
  // defence) from its own 'listening' event; the servers never listen themselves, so relay it.
  listener.on('listening', () => {
    http1.emit('listening');
    http2.emit('listening');
  });
  return listener;
}
