// Child-process helpers shared by the data-plane benchmarks.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Spawns `node <args>` and resolves with the first stdout JSON line matching `pred`, plus the child. */
export function startJsonProcess(args, pred = () => true, timeoutMs = 20_000) {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(
      () => reject(new Error(`timeout starting ${args.join(' ')}`)),
      timeoutMs,
    );
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    child.stdout.setEncoding('utf8').on('data', (c) => {
      buf += c;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const j = JSON.parse(line);
          if (pred(j)) {
            clearTimeout(timer);
            resolve({ child, info: j });
          }
        } catch {
          /* not JSON */
        }
      }
    });
  });
}

/** Runs a child to completion and returns its last stdout JSON line. */
export function runJson(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)));
    });
  });
}

/** Stops a child and waits for it. */
export function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts the built switchyard binary on free ports serving `dir` (default: the test fixture) with one token. */
export function startSwitchyard(token, dir = 'apps/data-plane/test/fixtures/flags') {
  const dataDir = join(tmpdir(), `switchyard-bench-${process.pid}`);
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  // BENCH_DATA_PLANE_NODE_FLAGS: node/V8 flags to measure (e.g. the local driver's INSTANCE_NODE_FLAGS).
  const flags = (process.env.BENCH_DATA_PLANE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  return startJsonProcess(
    [
      ...flags,
      'apps/data-plane/dist/cli.js',
      'serve',
      '--dir',
      dir,
      '--token',
      token,
      '--host',
      '127.0.0.1',
      '--http-port',
      '0',
      '--grpc-port',
      '0',
      '--data-dir',
      dataDir,
    ],
    (j) => j.msg === 'first sync done' || j.msg === 'listening',
  ).then(async (r) => {
    // Wait for the snapshot: poll /ready.
    const port = r.info.httpPort;
    for (let i = 0; i < 200; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/ready`).then(
        (x) => x.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    return r;
  });
}
