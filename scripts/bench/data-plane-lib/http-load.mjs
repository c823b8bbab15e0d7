// Keep-alive HTTP/1.1 load generator over raw sockets (a node:http client would be the
// bottleneck on 2 cores). Closed loop ("max": N connections, each sends its next request when
// the previous answer is complete) or open loop ("rate": requests scheduled at a fixed rate;
// latency counts from the tick that scheduled the request, so queueing is not hidden).
// Usage: node http-load.mjs '<json {host,port,method,path,headers,body,mode,rate,connections,durationMs,warmupMs,tokens}>'
// With `tokens`, requests carry `Authorization: Bearer <token>` taking the tokens in turn.
// Prints one JSON line: {requests, errors, rps, p50, p95, p99, max} (latencies in ms).
import net from 'node:net';

const cfg = JSON.parse(process.argv[2]);
const body = Buffer.from(cfg.body ?? '');
const head = [
  `${cfg.method ?? 'POST'} ${cfg.path} HTTP/1.1`,
  `Host: ${cfg.host}:${cfg.port}`,
  `Content-Length: ${body.length}`,
  ...Object.entries(cfg.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
];
/** Every request's bytes, built before the run; sent in turn. */
const requests = (cfg.tokens ?? [undefined]).map((t) =>
  Buffer.concat([
    Buffer.from(
      `${[...head, ...(t === undefined ? [] : [`Authorization: Bearer ${t}`])].join('\r\n')}\r\n\r\n`,
    ),
    body,
  ]),
);
let nextRequest = 0;

const latencies = [];
let errors = 0;
let measuring = false;
let stopped = false;

function connect() {
  return new Promise((resolve, reject) => {
    const sock = net.connect(cfg.port, cfg.host, () => resolve(conn));
    sock.setNoDelay(true);
    sock.on('error', (e) => (stopped ? undefined : reject(e)));
    const conn = { sock, busy: false, started: 0, onDone: undefined };
    let buf = null;
    let need = -1;
    let status = 0;
    sock.on('data', (chunk) => {
      buf = buf && buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        if (need < 0) {
          const i = buf.indexOf('\r\n\r\n');
          if (i < 0) return;
          const h = buf.toString('latin1', 0, i);
          status = Number(h.slice(9, 12));
          const m = /content-length:\s*(\d+)/i.exec(h);
          need = i + 4 + (m ? Number(m[1]) : 0);
        }
        if (buf.length < need) return;
        buf = buf.subarray(need);
        need = -1;
        const end = performance.now();
        if (measuring) {
          latencies.push(end - conn.started);
          if (status !== 200) errors++;
        }
        conn.busy = false;
        conn.onDone?.();
      }
    });
  });
}

function send(conn, scheduledAt) {
  conn.busy = true;
  conn.started = scheduledAt ?? performance.now();
  conn.sock.write(requests[nextRequest++ % requests.length]);
}

function runMax(conns) {
  for (const c of conns) {
    c.onDone = () => {
      if (!stopped) send(c);
    };
    send(c);
  }
}

function runRate(conns) {
  const queue = [];
  const t0 = performance.now();
  let issued = 0;
  const idle = () => conns.find((c) => !c.busy);
  const pump = () => {
    while (queue.length) {
      const c = idle();
      if (!c) return;
      send(c, queue.shift());
    }
  };
  for (const c of conns) c.onDone = pump;
  const timer = setInterval(() => {
    if (stopped) return clearInterval(timer);
    const now = performance.now();
    const due = Math.floor(((now - t0) / 1000) * cfg.rate);
    // Requests due by this tick are stamped with the tick time: the 1 ms timer granularity is the
    // generator's, not the server's. A request that then waits for a free connection keeps its
    // stamp, so server-caused queueing is still counted (no coordinated omission).
    for (; issued < due; issued++) queue.push(now);
    pump();
  }, 1);
}

const conns = await Promise.all(Array.from({ length: cfg.connections }, connect));
if (cfg.mode === 'rate') runRate(conns);
else runMax(conns);
await new Promise((r) => setTimeout(r, cfg.warmupMs ?? 1000));
measuring = true;
const t = performance.now();
await new Promise((r) => setTimeout(r, cfg.durationMs));
measuring = false;
const elapsed = (performance.now() - t) / 1000;
stopped = true;
for (const c of conns) c.sock.destroy();
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
process.stdout.write(
  `${JSON.stringify({ requests: latencies.length, errors, rps: latencies.length / elapsed, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: latencies.at(-1) ?? NaN })}\n`,
);
