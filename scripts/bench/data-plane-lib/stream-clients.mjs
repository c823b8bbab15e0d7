// One client process of the L5 fan-out benchmark: opens `count` idle snapshot streams (NDJSON
// `/client/v2/.../stream`, or SSE with `sse: true`) to one instance, with TCP keepalive, and
// records when each stream receives a message naming generation `gen` (a string the changed
// snapshot contains and the old one does not).
// Config: argv[2] JSON {port, path, token, count, sse, keepAliveMs, marker}.
// Protocol on stdout (one JSON line each):
//   {"ready": n, "errors": e}     every stream got its first message (or failed)
//   {"arrivals": [epoch ms...], "errors": e, "open": n, "late": n}   once every open stream has
//   the change, or when stdin says "report" (the parent's deadline); then it exits.
// Epoch times (performance.timeOrigin + now) so the parent compares them across processes.
import { request } from 'node:http';

const cfg = JSON.parse(process.argv[2]);
const now = () => performance.timeOrigin + performance.now();
const arrivals = [];
let errors = 0;
let open = 0;
let ready = 0;
let settled = 0;
const sockets = [];

function settle() {
  settled++;
  if (settled === cfg.count)
    process.stdout.write(`${JSON.stringify({ ready, errors, pid: process.pid })}\n`);
}

/** Opens one stream; resolves once it has its first message (or failed). */
function openStream() {
  return new Promise((resolve) => {
    let first = true;
    let seen = false;
    let tail = '';
    const fail = () => {
      errors++;
      if (first) {
        first = false;
        settle();
        resolve();
      }
    };
    const req = request(
      {
        host: '127.0.0.1',
        port: cfg.port,
        path: cfg.path,
        agent: false,
        headers: {
          authorization: `Bearer ${cfg.token}`,
          accept: cfg.sse ? 'text/event-stream' : 'application/json',
        },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return fail();
        }
        open++;
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          // A message may span chunks: look for the marker across the boundary.
          const text = tail + chunk;
          tail = text.slice(-cfg.marker.length);
          if (first) {
            first = false;
            ready++;
            settle();
            resolve();
          } else if (!seen && text.includes(cfg.marker)) {
            seen = true;
            arrivals.push(now());
            if (arrivals.length === ready) report();
          }
        });
        res.on('close', () => {
          open--;
          if (!res.complete) fail();
        });
        res.on('error', () => undefined); // counted on close
      },
    );
    req.on('socket', (s) => {
      s.setKeepAlive(true, cfg.keepAliveMs);
      sockets.push(s);
    });
    req.on('error', fail);
    req.end();
  });
}

// Open in waves so the server's accept backlog never overflows.
const WAVE = 100;
for (let i = 0; i < cfg.count; i += WAVE) {
  await Promise.all(Array.from({ length: Math.min(WAVE, cfg.count - i) }, openStream));
}

/** Prints the arrivals and exits (all streams have the change, or the parent's deadline passed). */
function report() {
  process.stdout.write(
    `${JSON.stringify({ arrivals, errors, open, late: cfg.count - errors - arrivals.length })}\n`,
  );
  for (const s of sockets) s.destroy();
  process.exit(0);
}
process.stdin.setEncoding('utf8').on('data', (d) => {
  if (d.includes('report')) report();
});
