#!/usr/bin/env node
// The images' HEALTHCHECK (node:*-slim has neither curl nor wget). Exit 0 healthy, 1 not.
//   node healthcheck.mjs http <url>   healthy when GET <url> answers 2xx within 4 s
//   node healthcheck.mjs redis        healthy when REDIS_URL (default redis://127.0.0.1:6379)
//                                     answers PING with PONG within 4 s: the provisioning worker
//                                     has no HTTP port, and without Redis it has no work
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { pathToFileURL } from 'node:url';

const TIMEOUT_MS = 4000;

export async function checkHttp(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
  await res.arrayBuffer();
  if (res.status < 200 || res.status > 299) throw new Error(`GET ${url}: ${res.status}`);
}

export function checkRedis(redisUrl) {
  const url = new URL(redisUrl);
  const port = Number(url.port || 6379);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const commands = [];
  if (url.password) {
    const args = url.username
      ? ['AUTH', decodeURIComponent(url.username), decodeURIComponent(url.password)]
      : ['AUTH', decodeURIComponent(url.password)];
    commands.push(args);
  }
  commands.push(['PING']);
  const payload = commands
    .map(
      (args) =>
        `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
    )
    .join('');
  return new Promise((resolve, reject) => {
    const socket =
      url.protocol === 'rediss:'
        ? tlsConnect({ host, port, servername: host })
        : connect({ host, port });
    const timer = setTimeout(
      () => socket.destroy(new Error(`no answer from ${host}:${port}`)),
      TIMEOUT_MS,
    );
    let received = '';
    socket.setEncoding('utf8');
    socket.once(url.protocol === 'rediss:' ? 'secureConnect' : 'connect', () =>
      socket.write(payload),
    );
    socket.on('data', (chunk) => {
      received += chunk;
      const lines = received.split('\r\n').filter(Boolean);
      const error = lines.find((l) => l.startsWith('-'));
      if (error) socket.destroy(new Error(`redis: ${error.slice(1)}`));
      else if (lines.length >= commands.length) {
        clearTimeout(timer);
        socket.end();
        if (lines.at(-1) === '+PONG') resolve();
        else reject(new Error(`redis answered ${JSON.stringify(lines.at(-1))}`));
      }
    });
    socket.on('error', (/** @type {Error} */ e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const [mode, arg] = process.argv.slice(2);
  const check =
    mode === 'http' && arg
      ? checkHttp(arg)
      : mode === 'redis'
        ? checkRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
        : Promise.reject(new Error('usage: healthcheck.mjs http <url> | redis'));
  check.then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`unhealthy: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
