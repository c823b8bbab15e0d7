/** Runs the built `switchyard` binary as a child process and reads its bound ports from the log. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Path of the built CLI. */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** A running binary. */
export interface RunningBinary {
  child: ChildProcess;
  url: string;
  grpc: string;
  /** Every stdout line so far (JSON log lines). */
  logs: string[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves when a log line matches. */
  waitForLog(
    pred: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
}

/**
 * Starts `switchyard serve <args>` on free ports (port 0) and waits for the `listening` line;
 * `nodeArgs` go to node before the script (preloads, V8 flags).
 */
export async function startBinary(
  args: string[],
  timeoutMs = 15_000,
  nodeArgs: string[] = [],
): Promise<RunningBinary> {
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      CLI,
      'serve',
      '--host',
      '127.0.0.1',
      '--http-port',
      '0',
      '--grpc-port',
      '0',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logs: string[] = [];
  const listeners = new Set<() => void>();
  let stderr = '';
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    buf += c;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      logs.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
    for (const l of listeners) l();
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitForLog = (pred: (line: Record<string, unknown>) => boolean, ms = timeoutMs) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        for (const l of logs) {
          try {
            const j = JSON.parse(l) as Record<string, unknown>;
            if (pred(j)) {
              listeners.delete(check);
              clearTimeout(timer);
              resolve(j);
              return;
            }
          } catch {
            /* not JSON */
          }
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(
          new Error(`timed out waiting for log; stderr: ${stderr}\nstdout: ${logs.join('\n')}`),
        );
      }, ms);
      listeners.add(check);
      void exited.then(() => {
        if (listeners.has(check)) {
          listeners.delete(check);
          clearTimeout(timer);
          reject(new Error(`binary exited; stderr: ${stderr}\nstdout: ${logs.join('\n')}`));
        }
      });
      check();
    });
  const listening = await waitForLog((l) => l.msg === 'listening');
  return {
    child,
    url: `http://127.0.0.1:${String(listening.httpPort)}`,
    grpc: `127.0.0.1:${String(listening.grpcPort)}`,
    logs,
    waitForLog,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the CLI to completion (validate, help, bad config). */
export function runCli(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
