// Closed-loop gRPC load generator: `concurrency` outstanding Boolean calls over `channels`
// connections for `durationMs` after `warmupMs`. Usage: node grpc-load.mjs '<json config>'.
// Prints {requests, errors, rps, p50, p99}.
import * as grpc from '@grpc/grpc-js';
import { evaluationService } from './grpc-proto.mjs';

const cfg = JSON.parse(process.argv[2]);
const Service = evaluationService();
const clients = Array.from({ length: cfg.channels ?? 2 }, (_, i) => new Service(cfg.address, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1, 'channel-id': i }));
const md = new grpc.Metadata();
if (cfg.token) md.set('authorization', `Bearer ${cfg.token}`);
const req = { namespaceKey: 'default', flagKey: 'dark-mode', entityId: 'user-42', context: { plan: 'free', region: 'us' } };
const latencies = [];
let errors = 0;
let measuring = false;
let stopped = false;

function loop(client) {
  const t = performance.now();
  client.Boolean(req, md, (err) => {
    if (measuring) {
      latencies.push(performance.now() - t);
      if (err) errors++;
    }
    if (!stopped) loop(client);
  });
}

await Promise.all(clients.map((c) => new Promise((r) => c.waitForReady(Date.now() + 5000, r))));
for (let i = 0; i < cfg.concurrency; i++) loop(clients[i % clients.length]);
await new Promise((r) => setTimeout(r, cfg.warmupMs ?? 1000));
measuring = true;
const t0 = performance.now();
await new Promise((r) => setTimeout(r, cfg.durationMs));
measuring = false;
const elapsed = (performance.now() - t0) / 1000;
stopped = true;
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
process.stdout.write(`${JSON.stringify({ requests: latencies.length, errors, rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99) })}\n`);
process.exit(0);
