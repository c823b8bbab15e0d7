/**
 * Converges one organisation's instance: the BullMQ job handler. Steps, each recorded in
 * `instances.step` and each safe to repeat:
 *   credentials → the instance's secret hash is stored (status provisioning on first run);
 *   launched    → the driver created or adopted the instance (endpoint stored);
 *   ready       → it answers its health check (status ready, observedGeneration = generation).
 * An organisation that no longer exists has its instances removed. One worker converges an
 * organisation at a time (a lease on the instance row with expiry, so a killed worker's lease
 * lapses); a job that finds the lease held fails and is retried with backoff. Within one worker
 * the lease (owned by the worker) does not separate two jobs for the same organisation (the
 * relay's `outbox-<id>` and the reconciler's `reconcile-<orgId>` run concurrently), so converges
 * of one organisation are also chained in-process: the second starts from the row the first left.
 *
 * Sleep and wake (idle instances) go through the same chain and lease. A converge leaves a
 * sleeping instance asleep (it is not crashed; only a wake starts it again); deleting the
 * organisation still removes it (the driver lists sleeping instances too).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Database } from '@switchyard/db';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.js';
import { instanceSecret, instanceSecretHash } from '../instances/instance-credentials.js';
import type { InstanceDriver, InstanceSpec } from './instance-driver.js';

/** Provisioning steps, in order. */
export type ProvisioningStep = 'credentials' | 'launched' | 'ready';

/** Thrown when another worker holds the organisation's lease (the job retries later). */
export class LeaseHeldError extends Error {
  override readonly name = 'LeaseHeldError';
}

/** Result of one convergence. */
export type ConvergeResult = 'ready' | 'removed' | 'not-ready' | 'sleeping';

/** Statuses of an instance that runs and may be put to sleep when idle. */
const AWAKE = ['ready', 'degraded'] as const;

/**
 * Between marking an instance `sleeping` and stopping it: longer than the edge's route refresh
 * (ROUTE_REFRESH_MS, 1 s by default), so every edge holds the organisation's requests (and asks
 * for a wake) before the process goes; a request that still reached the instance meanwhile is
 * reported at once (the instance reports renewed use) and calls the sleep off.
 */
export const SLEEP_GRACE_MS = 2_000;

/** How long a wake waits for another worker's lease on the organisation (beyond a sleep's grace). */
const WAKE_LEASE_WAIT_MS = SLEEP_GRACE_MS + 3_000;

type InstanceWithOrg = {
  id: string;
  org: { slug: string; environments: { key: string }[] };
};

/** Converges organisations' instances through a driver. */
export class Provisioner {
  readonly owner = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  /** The last converge started per organisation in this process (see the file comment). */
  readonly #converging = new Map<string, Promise<unknown>>();
  /** Organisations a wake was asked for: a sleep in its grace period is called off. */
  readonly #wakeAsked = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly config: AppConfig,
    private readonly driver: InstanceDriver,
    private readonly logger: Logger,
    /** Test-only fault injection: called after each completed step of a first provisioning. */
    private readonly afterStep: (step: ProvisioningStep) => void = () => undefined,
    private readonly sleepGraceMs = SLEEP_GRACE_MS,
  ) {}

  /** Converges `orgId`, after any converge of it already running in this process. */
  converge(orgId: string): Promise<ConvergeResult> {
    return this.#chain(orgId, () => this.#converge(orgId));
  }

  /**
   * Puts the organisation's instance to sleep if it is still awake and has served nothing since
   * `idleSince`; true when it did. The status turns `sleeping` before the driver stops it, so the
   * edge starts holding requests (and asks for a wake) rather than forwarding to a stopping process.
   */
  sleepIfIdle(orgId: string, idleSince: Date): Promise<boolean> {
    return this.#chain(orgId, async () => {
      const inst = await this.#instance(orgId);
      if (!inst || !(AWAKE as readonly string[]).includes(inst.status)) return false;
      if (!inst.lastActiveAt || inst.lastActiveAt >= idleSince) return false;
      if (!(await this.acquire(inst.id))) return false;
      try {
        const { count } = await this.db.instance.updateMany({
          where: { id: inst.id, status: { in: [...AWAKE] }, lastActiveAt: { lt: idleSince } },
          data: { status: 'sleeping' },
        });
        if (count === 0) return false;
        await new Promise((r) => setTimeout(r, this.sleepGraceMs));
        const after = await this.db.instance.findUnique({
          where: { id: inst.id },
          select: { lastActiveAt: true },
        });
        if (
          this.#wakeAsked.has(orgId) ||
          (after?.lastActiveAt && after.lastActiveAt >= idleSince)
        ) {
          await this.db.instance.updateMany({
            where: { id: inst.id, status: 'sleeping' },
            data: { status: 'ready' },
          });
          return false;
        }
        try {
          await this.driver.sleep(this.#spec(inst, orgId));
        } catch (e) {
          await this.db.instance.update({ where: { id: inst.id }, data: { status: 'ready' } });
          throw e;
        }
        this.logger.info(
          { org: inst.org.slug, instance: inst.id, idleSince: inst.lastActiveAt },
          'instance asleep (idle)',
        );
        return true;
      } finally {
        await this.release(inst.id);
      }
    });
  }

  /**
   * Wakes a sleeping instance: the driver starts it from its data (cached configuration,
   * persisted snapshots) and it counts as awake once it has finished starting, i.e. holds the
   * control plane's current tokens and revisions. Resolves at once for an awake instance; rejects
   * when it did not start within `timeoutMs` (it is put back to sleep, to be woken again).
   */
  wake(orgId: string, timeoutMs: number): Promise<void> {
    this.#wakeAsked.add(orgId);
    const woken = this.#chain(orgId, async () => {
      this.#wakeAsked.delete(orgId);
      const deadline = Date.now() + timeoutMs;
      const first = await this.#instance(orgId);
      if (!first) throw new Error('the organisation has no instance');
      if (first.status !== 'sleeping') return;
      const leaseBy = Date.now() + Math.min(WAKE_LEASE_WAIT_MS, timeoutMs);
      while (!(await this.acquire(first.id))) {
        if (Date.now() > leaseBy)
          throw new LeaseHeldError(`organisation ${orgId} is being converged by another worker`);
        await new Promise((r) => setTimeout(r, 20));
      }
      try {
        // Re-read under the lease: another worker may have woken it meanwhile.
        const inst = await this.#instance(orgId);
        if (!inst || inst.status !== 'sleeping') return;
        const spec = this.#spec(inst, orgId);
        const handle = await this.driver.ensure(spec);
        if (!(await this.driver.started(handle, Math.max(0, deadline - Date.now())))) {
          await this.driver.sleep(spec).catch(() => undefined);
          throw new Error(`the instance did not start within ${timeoutMs} ms`);
        }
        // The idle clock restarts now: its first status report may come after the next sleep check.
        await this.db.instance.update({
          where: { id: inst.id },
          data: {
            status: 'ready',
            endpoint: handle.endpoint,
            step: 'ready',
            lastError: null,
            lastActiveAt: new Date(),
          },
        });
        this.logger.info({ org: inst.org.slug, instance: inst.id }, 'instance woken');
      } finally {
        await this.release(first.id);
      }
    });
    return woken;
  }

  #instance(orgId: string) {
    return this.db.instance.findUnique({
      where: { orgId },
      include: { org: { include: { environments: { select: { key: true } } } } },
    });
  }

  #spec(inst: InstanceWithOrg, orgId: string): InstanceSpec {
    return {
      instanceId: inst.id,
      orgId,
      orgSlug: inst.org.slug,
      secret: instanceSecret(this.config.secret, inst.id),
      controlPlaneUrl: this.config.provisioning.controlPlaneGrpcUrl,
      environments: inst.org.environments.map((e) => e.key),
    };
  }

  /** Runs `fn` after any operation on `orgId` already running in this process. */
  #chain<T>(orgId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#converging.get(orgId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(fn);
    this.#converging.set(orgId, next);
    void next
      .finally(() => {
        if (this.#converging.get(orgId) === next) this.#converging.delete(orgId);
      })
      .catch(() => undefined);
    return next;
  }

  async #converge(orgId: string): Promise<ConvergeResult> {
    const inst = await this.#instance(orgId);
    if (!inst) return this.removeOrphansOf(orgId);
    // Asleep on purpose: not a crash to repair. Changes made meanwhile apply when it wakes.
    if (inst.status === 'sleeping') return 'sleeping';
    if (!(await this.acquire(inst.id)))
      throw new LeaseHeldError(`organisation ${orgId} is being converged by another worker`);
    const log = this.logger.child({ org: inst.org.slug, instance: inst.id });
    try {
      const secret = instanceSecret(this.config.secret, inst.id);
      const secretHash = instanceSecretHash(secret);
      const first = inst.status === 'pending' || inst.status === 'failed';
      await this.db.instance.update({
        where: { id: inst.id },
        data: { secretHash, step: 'credentials', ...(first ? { status: 'provisioning' } : {}) },
      });
      if (first) this.afterStep('credentials');
      const spec = this.#spec(inst, orgId);
      const handle = await this.driver.ensure(spec);
      await this.db.instance.update({
        where: { id: inst.id },
        data: { endpoint: handle.endpoint, step: 'launched' },
      });
      if (first) this.afterStep('launched');
      if (!(await this.driver.ready(handle, 20_000))) {
        await this.db.instance.update({
          where: { id: inst.id },
          data: { lastError: 'instance did not become healthy within 20 s' },
        });
        log.warn('instance not healthy yet');
        return 'not-ready';
      }
      // Keep degraded (set from status reports) rather than flipping it back to ready here.
      const current = await this.db.instance.findUniqueOrThrow({
        where: { id: inst.id },
        select: { status: true },
      });
      await this.db.instance.update({
        where: { id: inst.id },
        data: {
          status: current.status === 'degraded' ? 'degraded' : 'ready',
          step: 'ready',
          observedGeneration: inst.generation,
          ...(current.status === 'degraded' ? {} : { lastError: null }),
        },
      });
      if (first) this.afterStep('ready');
      if (first) log.info({ endpoint: handle.endpoint }, 'instance ready');
      return 'ready';
    } finally {
      await this.release(inst.id);
    }
  }

  /** Marks the instance failed (after the last retry). */
  async markFailed(orgId: string, message: string): Promise<void> {
    await this.db.instance.updateMany({
      where: { orgId, status: { in: ['pending', 'provisioning'] } },
      data: { status: 'failed', lastError: message.slice(0, 500) },
    });
  }

  /** Removes every instance the driver runs for a deleted organisation. */
  private async removeOrphansOf(orgId: string): Promise<ConvergeResult> {
    for (const i of await this.driver.list())
      if (i.orgId === orgId) await this.driver.remove(i.instanceId);
    return 'removed';
  }

  private async acquire(instanceId: string): Promise<boolean> {
    const until = new Date(Date.now() + Math.max(this.config.provisioning.lockDurationMs, 2_000));
    const { count } = await this.db.instance.updateMany({
      where: {
        id: instanceId,
        OR: [{ leaseOwner: null }, { leaseUntil: { lt: new Date() } }, { leaseOwner: this.owner }],
      },
      data: { leaseOwner: this.owner, leaseUntil: until },
    });
    return count === 1;
  }

  private async release(instanceId: string): Promise<void> {
    await this.db.instance.updateMany({
      where: { id: instanceId, leaseOwner: this.owner },
      data: { leaseOwner: null, leaseUntil: null },
    });
  }
}
