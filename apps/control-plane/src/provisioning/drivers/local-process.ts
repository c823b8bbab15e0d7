/**
 * Files and processes of the local driver. Each instance owns `<dataDir>/<instanceId>/`:
 * `instance.json` (pid, ports, org), `data/` (the data plane's snapshots and cached config) and
 * `instance.log`. A process is ours only if `/proc/<pid>/cmdline` names the instance id, so a
 * recycled pid is never mistaken for a live instance.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Persisted state of one local instance. */
export interface LocalInstanceState {
  instanceId: string;
  orgId: string;
  pid: number;
  httpPort: number;
  grpcPort: number;
  startedAt: string;
  /** Stopped on purpose (idle): not restarted until woken; `pid` is the process it had. */
  sleeping?: boolean;
}

/** Directory of one instance. */
export function instanceDir(dataDir: string, instanceId: string): string {
  return join(dataDir, instanceId);
}

/** Reads `instance.json`, or undefined. */
export function readState(dataDir: string, instanceId: string): LocalInstanceState | undefined {
  try {
    return JSON.parse(
      readFileSync(join(instanceDir(dataDir, instanceId), 'instance.json'), 'utf8'),
    ) as LocalInstanceState;
  } catch {
    return undefined;
  }
}

/** Writes `instance.json` atomically. */
export function writeState(dataDir: string, state: LocalInstanceState): void {
  const dir = instanceDir(dataDir, state.instanceId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'instance.json.tmp'), JSON.stringify(state));
  renameSync(join(dir, 'instance.json.tmp'), join(dir, 'instance.json'));
}

/** Every instance state under `dataDir`. */
export function listStates(dataDir: string): LocalInstanceState[] {
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir).flatMap((name) => {
    const s = readState(dataDir, name);
    return s ? [s] : [];
  });
}

/** True when `pid` is alive and its command line names `instanceId`. */
export function isInstanceProcess(pid: number, instanceId: string): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes(instanceId)) return false;
    // A zombie (killed, not yet reaped by its parent) is not serving.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

/** True when nothing listens on 127.0.0.1:`port`. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A cross-process spawn lock (O_EXCL file holding the owner's pid). Two workers supervising the
 * same data dir cannot both start an instance; a lock left by a dead worker is taken over.
 */
export function tryLock(dataDir: string, instanceId: string): (() => void) | undefined {
  const dir = instanceDir(dataDir, instanceId);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'spawn.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch {
      const owner = Number(readFileSync(path, 'utf8') || 0);
      let alive: boolean;
      try {
        if (owner) process.kill(owner, 0);
        alive = owner > 0 && owner !== process.pid;
      } catch {
        alive = false;
      }
      if (alive) return undefined;
      rmSync(path, { force: true });
    }
  }
  return undefined;
}

/**
 * V8 flags of every instance. Node lets the young generation grow to 2 × 16 MB, which the
 * startup allocations fill and an idle instance then keeps resident: 8 MB of a 78 MB instance.
 * An evaluation's garbage is small and short-lived, so 1 MB semi-spaces are scavenged often but
 * cheaply (scavenges cost what survives, not the space's size). The old generation is left to
 * Node's default, which adapts to the machine; a fixed cap would crash big environments.
 *
 * The interrupt budget (V8's default 66 KB of bytecode between tiering checks) is doubled: at
 * start-up, node's module resolver (fileURLToPath over every chunk's path) and the first snapshot
 * build ran just long enough to get TurboFan-compiled, and an idle instance then kept the
 * optimising compiler's pages and zone memory resident, about 4 MB of its ~54. Code that is hot
 * under load still tiers up, after twice the interpreted work (scripts/bench/data-plane-http.mjs
 * with these flags showed no throughput change beyond the machine's noise).
 */
export const INSTANCE_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=1',
  '--interrupt-budget=135168',
];

/** Options of {@link spawnInstance}. */
export interface SpawnOptions {
  binary: string;
  dataDir: string;
  instanceId: string;
  controlPlaneUrl: string;
  secret: string;
  httpPort: number;
  grpcPort: number;
  logLevel: string;
}

/**
 * Starts the data plane detached (its own process group, output appended to instance.log), so
 * it outlives the worker that started it, as a pod outlives its controller; returns the pid.
 */
export function spawnInstance(o: SpawnOptions): number {
  const dir = instanceDir(o.dataDir, o.instanceId);
  mkdirSync(join(dir, 'data'), { recursive: true });
  const log = openSync(join(dir, 'instance.log'), 'a');
  const args = [
    ...INSTANCE_NODE_FLAGS,
    o.binary,
    'serve',
    '--instance-id',
    o.instanceId,
    '--control-plane',
    o.controlPlaneUrl,
    '--host',
    '127.0.0.1',
  ];
  args.push(
    '--http-port',
    String(o.httpPort),
    '--grpc-port',
    String(o.grpcPort),
    '--data-dir',
    join(dir, 'data'),
    '--log-level',
    o.logLevel,
  );
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', log, log],
    // The credential goes through the environment, not argv (argv is world-readable in ps).
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? dir,
      SWITCHYARD_INSTANCE_TOKEN: o.secret,
    },
  });
  closeSync(log);
  child.unref();
  if (!child.pid) throw new Error(`could not start instance ${o.instanceId}`);
  return child.pid;
}

/** SIGTERM, then SIGKILL after `graceMs` if it is still alive. */
export async function stopProcess(pid: number, instanceId: string, graceMs = 5_000): Promise<void> {
  if (!isInstanceProcess(pid, instanceId)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isInstanceProcess(pid, instanceId))
    await new Promise((r) => setTimeout(r, 50));
  if (isInstanceProcess(pid, instanceId)) process.kill(pid, 'SIGKILL');
}
