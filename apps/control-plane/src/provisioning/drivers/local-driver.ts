/**
 * The `local` provisioning driver: one detached `switchyard serve --instance-id …` process per
 * organisation, two ports each (HTTP, gRPC) from the configured range, logs and state under the
 * instance data dir. It supervises what it started or adopted: a dead process is restarted on the
 * same ports (so routes stay valid) with exponential backoff, reset after a minute of uptime.
 * A sleeping instance (idle) has no process and is not supervised; its state file keeps its ports
 * (no other instance takes them) and its data directory keeps the cached configuration and
 * snapshots it wakes from.
 */
import { rmSync } from 'node:fs';
import { backoffDelay, type BackoffPolicy } from '@switchyard/retry';
import type { Logger } from 'pino';
import type { ProvisioningConfig } from '../../config/provisioning.config.js';
import {
  waitHealthy,
  waitStarted,
  type DriverInstance,
  type InstanceDriver,
  type InstanceHandle,
  type InstanceSpec,
} from '../instance-driver.js';
import {
  instanceDir,
  isInstanceProcess,
  listStates,
  portFree,
  readState,
  spawnInstance,
  stopProcess,
  tryLock,
  writeState,
  type LocalInstanceState,
} from './local-process.js';

/** Restart delay of a dead instance: 250 ms doubling to 30 s, jittered so a crash wave spreads. */
const RESTART_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 30_000 };

interface Supervised {
  spec: InstanceSpec;
  failures: number;
  nextAttemptAt: number;
}

const handleOf = (s: LocalInstanceState): InstanceHandle => ({
  endpoint: `http://127.0.0.1:${s.httpPort}`,
  grpcAddress: `127.0.0.1:${s.grpcPort}`,
});

/** Local child-process driver. */
export class LocalDriver implements InstanceDriver {
  readonly kind = 'local' as const;
  readonly #supervised = new Map<string, Supervised>();
  readonly #locks = new Map<string, Promise<unknown>>();
  readonly #timer: NodeJS.Timeout;
  /** Restarts performed (tests and logs). */
  restarts = 0;

  constructor(
    private readonly config: ProvisioningConfig,
    private readonly logger: Logger,
    superviseEveryMs = 250,
  ) {
    this.#timer = setInterval(() => void this.#superviseAll(), superviseEveryMs);
    this.#timer.unref();
  }

  ensure(spec: InstanceSpec): Promise<InstanceHandle> {
    return this.#serial(spec.instanceId, async () => {
      const state = await this.#ensureRunning(spec);
      this.#supervised.set(spec.instanceId, {
        spec,
        failures: this.#supervised.get(spec.instanceId)?.failures ?? 0,
        nextAttemptAt: 0,
      });
      return handleOf(state);
    });
  }

  ready(handle: InstanceHandle, timeoutMs: number): Promise<boolean> {
    return waitHealthy(handle.endpoint, timeoutMs);
  }

  started(handle: InstanceHandle, timeoutMs: number): Promise<boolean> {
    return waitStarted(handle.endpoint, timeoutMs);
  }

  sleep(spec: InstanceSpec): Promise<void> {
    const id = spec.instanceId;
    return this.#serial(id, async () => {
      // Unsupervised first, so the supervisor does not take the exit for a crash.
      this.#supervised.delete(id);
      const state = readState(this.config.instanceDataDir, id);
      if (!state) return;
      // The state file stays (ports reserved); `sleeping` tells operators the pid is gone on purpose.
      writeState(this.config.instanceDataDir, { ...state, sleeping: true });
      await stopProcess(state.pid, id);
      this.logger.info({ instance: id, org: spec.orgSlug }, 'instance asleep (idle)');
    });
  }

  remove(instanceId: string): Promise<void> {
    return this.#serial(instanceId, async () => {
      this.#supervised.delete(instanceId);
      const state = readState(this.config.instanceDataDir, instanceId);
      if (state) await stopProcess(state.pid, instanceId);
      rmSync(instanceDir(this.config.instanceDataDir, instanceId), {
        recursive: true,
        force: true,
      });
    });
  }

  list(): Promise<DriverInstance[]> {
    return Promise.resolve(
      listStates(this.config.instanceDataDir).map((s) => ({
        instanceId: s.instanceId,
        orgId: s.orgId,
      })),
    );
  }

  async close(options: { stopInstances?: boolean } = {}): Promise<void> {
    clearInterval(this.#timer);
    const ids = [...this.#supervised.keys()];
    this.#supervised.clear();
    if (options.stopInstances) {
      await Promise.all(
        ids.map(async (id) => {
          const s = readState(this.config.instanceDataDir, id);
          if (s) await stopProcess(s.pid, id);
        }),
      );
    }
  }

  /** One operation per instance at a time within this process (other processes: the spawn lock). */
  #serial<T>(instanceId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(instanceId) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.#locks.set(instanceId, next);
    void next
      .finally(() => {
        if (this.#locks.get(instanceId) === next) this.#locks.delete(instanceId);
      })
      .catch(() => undefined);
    return next;
  }

  async #ensureRunning(spec: InstanceSpec): Promise<LocalInstanceState> {
    const dataDir = this.config.instanceDataDir;
    const existing = readState(dataDir, spec.instanceId);
    if (existing && isInstanceProcess(existing.pid, spec.instanceId)) return existing;
    const unlock = tryLock(dataDir, spec.instanceId);
    if (!unlock) {
      // Another worker is starting it right now: wait for its state to appear.
      for (let i = 0; i < 100; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const s = readState(dataDir, spec.instanceId);
        if (s && isInstanceProcess(s.pid, spec.instanceId)) return s;
      }
      throw new Error(`instance ${spec.instanceId} is being started elsewhere`);
    }
    try {
      // Re-read under the lock: the previous holder may have started it.
      const again = readState(dataDir, spec.instanceId);
      if (again && isInstanceProcess(again.pid, spec.instanceId)) return again;
      const ports =
        again && (await previousPortsFree(again))
          ? { httpPort: again.httpPort, grpcPort: again.grpcPort }
          : await this.#allocate(spec.instanceId);
      const pid = spawnInstance({
        binary: this.config.instanceBinary,
        dataDir,
        instanceId: spec.instanceId,
        controlPlaneUrl: spec.controlPlaneUrl,
        secret: spec.secret,
        logLevel: this.config.instanceLogLevel,
        ...ports,
      });
      const state: LocalInstanceState = {
        instanceId: spec.instanceId,
        orgId: spec.orgId,
        pid,
        ...ports,
        startedAt: new Date().toISOString(),
      };
      writeState(dataDir, state);
      this.logger.info(
        { instance: spec.instanceId, org: spec.orgSlug, pid, ...ports },
        'instance process started',
      );
      return state;
    } finally {
      unlock();
    }
  }

  /** Two free ports from the range, skipping ports recorded by other instances. */
  async #allocate(instanceId: string): Promise<{ httpPort: number; grpcPort: number }> {
    const taken = new Set(
      listStates(this.config.instanceDataDir)
        .filter((s) => s.instanceId !== instanceId)
        .flatMap((s) => [s.httpPort, s.grpcPort]),
    );
    const { from, to } = this.config.portRange;
    for (let p = from; p + 1 <= to; p += 2) {
      if (taken.has(p) || taken.has(p + 1)) continue;
      if ((await portFree(p)) && (await portFree(p + 1))) return { httpPort: p, grpcPort: p + 1 };
    }
    throw new Error(`no free ports left in ${from}-${to}`);
  }

  async #superviseAll(): Promise<void> {
    const now = Date.now();
    for (const [id, sup] of this.#supervised) {
      const state = readState(this.config.instanceDataDir, id);
      if (state && isInstanceProcess(state.pid, id)) {
        if (sup.failures > 0 && now - Date.parse(state.startedAt) > 60_000) sup.failures = 0;
        continue;
      }
      if (now < sup.nextAttemptAt || this.#locks.has(id)) continue;
      sup.failures += 1;
      sup.nextAttemptAt = now + backoffDelay(RESTART_BACKOFF, sup.failures);
      this.logger.warn(
        { instance: id, failures: sup.failures },
        'instance process is gone; restarting',
      );
      this.restarts += 1;
      await this.ensure(sup.spec).catch((e: unknown) =>
        this.logger.error({ err: e, instance: id }, 'instance restart failed'),
      );
    }
  }
}

/**
 * Whether a dead instance's ports can be taken again. A SIGKILLed process leaves /proc (so it no
 * longer counts as running) a moment before the kernel closes its sockets; give that a few seconds
 * so the instance comes back on the same URL instead of moving to new ports.
 */
async function previousPortsFree(s: { httpPort: number; grpcPort: number }): Promise<boolean> {
  for (let i = 0; i < 30; i++) {
    if ((await portFree(s.httpPort)) && (await portFree(s.grpcPort))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
