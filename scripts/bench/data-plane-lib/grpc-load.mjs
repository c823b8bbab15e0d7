// Closed-loop gRPC load generator: `concurrency` outstanding unary Boolean calls over `channels`
// HTTP/2 connections for `durationMs` after `warmupMs`. It speaks gRPC directly over node:http2
// with a pre-encoded request (a grpc-js client costs more CPU than the servers under test and
// would measure itself). Usage: node grpc-load.mjs '<json config>'.
// Prints {requests, errors, rps, p50, p99}.
import http2 from 'node:http2';

const cfg = JSON.parse(process.argv[2]);

// Protobuf encoding of flipt.evaluation.EvaluationRequest (field numbers from the proto).
function field(no, bytes) {
  return Buffer.concat([Buffer.from([(no << 3) | 2, bytes.length]), bytes]);
}
const str = (no, s) => field(no, Buffer.from(s));
const entry = (k, v) => field(5, Buffer.concat([str(1, k), str(2, v)]));
const message = Buffer.concat([
  str(2, 'default'),
  str(3, 'dark-mode'),
  str(4, 'user-42'),
  entry('plan', 'free'),
  entry('region', 'us'),
]);
const frame = Buffer.alloc(5 + message.length);
frame.writeUInt8(0, 0);
frame.writeUInt32BE(message.length, 1);
message.copy(frame, 5);

const headers = {
  ':method': 'POST',
  ':path': '/flipt.evaluation.EvaluationService/Boolean',
  'content-type': 'application/grpc',
  te: 'trailers',
  ...(cfg.token ? { authorization: `Bearer ${cfg.token}` } : {}),
};
const latencies = [];
let errors = 0;
let measuring = false;
let stopped = false;

function call(session) {
  const t = performance.now();
  const stream = session.request(headers);
  let status = '';
  stream.on('response', (h) => (status = h['grpc-status'] ?? status));
  stream.on('trailers', (h) => (status = h['grpc-status'] ?? status));
  stream.on('data', () => undefined);
  stream.on('close', () => {
    if (measuring) {
      latencies.push(performance.now() - t);
      if (status !== '0') errors++;
    }
    if (!stopped) call(session);
  });
  stream.end(frame);
}

const sessions = await Promise.all(
  Array.from(
    { length: cfg.channels ?? 2 },
    () =>
      new Promise((resolve, reject) => {
        const s = http2.connect(`http://${cfg.address}`, { peerMaxConcurrentStreams: 1000 });
        s.once('connect', () => resolve(s));
        s.once('error', reject);
      }),
  ),
);
for (let i = 0; i < cfg.concurrency; i++) call(sessions[i % sessions.length]);
await new Promise((r) => setTimeout(r, cfg.warmupMs ?? 1000));
measuring = true;
const t0 = performance.now();
await new Promise((r) => setTimeout(r, cfg.durationMs));
measuring = false;
const elapsed = (performance.now() - t0) / 1000;
stopped = true;
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
process.stdout.write(
  `${JSON.stringify({ requests: latencies.length, errors, rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99) })}\n`,
);
process.exit(0);
