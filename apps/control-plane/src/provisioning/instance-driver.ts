/**
 * The port every provisioning driver implements (local child processes, Kubernetes). Every
 * method is idempotent and keyed by the instance id, because BullMQ delivers at least once and a
 * worker may die between any two steps: `ensure` adopts what already runs instead of duplicating.
 */

/** What a driver needs to run one organisation's instance. */
export interface InstanceSpec {
  instanceId: string;
  orgId: string;
  orgSlug: string;
  /** The credential the instance presents to the internal gRPC service. */
  secret: string;
  /** grpc://host:port of the control plane's internal service. */
  controlPlaneUrl: string;
  /** Environment keys (the Kubernetes driver renders one Ingress host per environment). */
  environments: string[];
}

/** Where a running instance answers. */
export interface InstanceHandle {
  /** Base URL of its REST API, e.g. http://127.0.0.1:18000. */
  endpoint: string;
  /** host:port of its gRPC API. */
  grpcAddress: string;
}

/** An instance the driver knows about (to find orphans). */
export interface DriverInstance {
  instanceId: string;
  orgId: string;
}

/** A provisioning backend. */
export interface InstanceDriver {
  readonly kind: 'local' | 'kubernetes';
  /** Creates the instance, or adopts the one already running; returns where it answers. */
  ensure(spec: InstanceSpec): Promise<InstanceHandle>;
  /** Resolves true once the instance answers its health check, false after `timeoutMs`. */
  ready(handle: InstanceHandle, timeoutMs: number): Promise<boolean>;
  /**
   * Resolves true once the instance has finished starting: it has the control plane's current
   * configuration and revisions (its `/ready` says `starting: false`), false after `timeoutMs`.
   * A wake forwards held requests only after this.
   */
  started(handle: InstanceHandle, timeoutMs: number): Promise<boolean>;
  /**
   * Puts an idle instance to sleep: it stops (local: the process exits and is not restarted;
   * Kubernetes: the Deployment scales to 0) but keeps what a wake needs (ports, data directory,
   * objects). `ensure` wakes it.
   */
  sleep(spec: InstanceSpec): Promise<void>;
  /** Stops and deletes the instance; a missing one is not an error. */
  remove(instanceId: string): Promise<void>;
  /** Every instance this driver manages. */
  list(): Promise<DriverInstance[]>;
  /** Releases the driver (supervision stops; instances keep running unless `stopInstances`). */
  close(options?: { stopInstances?: boolean }): Promise<void>;
}

/** Polls `${endpoint}/health` until it answers 200 or the deadline passes. */
export async function waitHealthy(endpoint: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** How often a wake polls the starting instance (a wake should take well under 500 ms). */
const STARTED_POLL_MS = 15;

/**
 * Polls `${endpoint}/ready` until the instance reports it has finished starting (`starting:
 * false`, whether or not every environment is ready) or the deadline passes.
 */
export async function waitStarted(endpoint: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${endpoint}/ready`, { signal: AbortSignal.timeout(1_000) });
      const body = (await res.json()) as { starting?: unknown };
      if (body.starting === false) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, STARTED_POLL_MS));
  }
  return false;
}
