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
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Database } from '@switchyard/db';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.js';
import { instanceSecret, instanceSecretHash } from '../instances/instance-credentials.js';
import type { InstanceDriver } from './instance-driver.js';

/** Provisioning steps, in order. */
export type ProvisioningStep = 'credentials' | 'launched' | 'ready';

/** Thrown when another worker holds the organisation's lease (the job retries later). */
export class LeaseHeldError extends Error {
  override readonly name = 'LeaseHeldError';
}

/** Result of one convergence. */
export type ConvergeResult = 'ready' | 'removed' | 'not-ready';

/** Converges organisations' instances through a driver. */
export class Provisioner {
  readonly owner = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  /** The last converge started per organisation in this process (see the file comment). */
  readonly #converging = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Database,
    private readonly config: AppConfig,
    private readonly driver: InstanceDriver,
    private readonly logger: Logger,
    /** Test-only fault injection: called after each completed step of a first provisioning. */
    private readonly afterStep: (step: ProvisioningStep) => void = () => undefined,
  ) {}

  /** Converges `orgId`, after any converge of it already running in this process. */
  converge(orgId: string): Promise<ConvergeResult> {
    const previous = this.#converging.get(orgId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.#converge(orgId));
    this.#converging.set(orgId, next);
    void next
      .finally(() => {
        if (this.#converging.get(orgId) === next) this.#converging.delete(orgId);
      })
      .catch(() => undefined);
    return next;
  }

  async #converge(orgId: string): Promise<ConvergeResult> {
    const inst = await this.db.instance.findUnique({
      where: { orgId },
      include: { org: { include: { environments: { select: { key: true } } } } },
    });
    if (!inst) return this.removeOrphansOf(orgId);
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
      const spec = {
        instanceId: inst.id,
        orgId,
        orgSlug: inst.org.slug,
        secret,
        controlPlaneUrl: this.config.provisioning.controlPlaneGrpcUrl,
        environments: inst.org.environments.map((e) => e.key),
      };
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
