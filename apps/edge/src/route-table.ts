/**
 * The route table: organisation slug → (environment keys, instance base URL). Refreshed from the
 * control plane's EdgeService every `refreshMs`; each new version is persisted (tmp + rename) and
 * loaded at boot, so the edge keeps routing through a control-plane outage and a restart.
 *
 * Sleeping organisations (idle instances) are routed too: their requests are held while the
 * control plane wakes the instance (EdgeService.Wake, one call per organisation however many
 * requests wait), then forwarded. The hold is bounded: at most `wakeQueue` requests wait at once
 * across organisations, each at most `wakeTimeoutMs`; beyond either a {@link WakeError} (503).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {
  instanceContract,
  type EdgeServiceClient,
  type Route__Output as Route,
  type RouteTable__Output as Table,
} from '@switchyard/contracts';
import type { Logger } from 'pino';

/** A request to a sleeping organisation that cannot be forwarded (answered 503, or 404). */
export class WakeError extends Error {
  override readonly name = 'WakeError';
  constructor(
    message: string,
    /** The organisation is gone (404) rather than slow to wake (503). */
    readonly notFound = false,
  ) {
    super(message);
  }
}

/** The answer of {@link RouteTable.routeFor}: a route, a route once awake, or none. */
export type RouteLookup = Route | Promise<Route> | undefined;

function edgeClient(url: string): EdgeServiceClient {
  const u = new URL(url);
  const creds =
    u.protocol === 'grpcs:' ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
  return new (instanceContract().EdgeService)(u.host, creds);
}

/** Routes by organisation slug, kept fresh in the background. */
export class RouteTable {
  #byOrg = new Map<string, Route>();
  #version = '';
  #timer: NodeJS.Timeout | undefined;
  readonly #client: EdgeServiceClient;
  readonly #file: string;
  /** Wakes in flight by organisation: concurrent requests share one. */
  readonly #waking = new Map<string, Promise<Route>>();
  /** Requests held for a wake right now (all organisations). */
  #held = 0;

  constructor(
    private readonly options: {
      controlPlaneUrl: string;
      token: string;
      dataDir: string;
      refreshMs: number;
      /** Longest a request waits for a wake (default 15 s). */
      wakeTimeoutMs?: number;
      /** Most requests held for wakes at once (default 1,000). */
      wakeQueue?: number;
    },
    private readonly logger: Logger,
  ) {
    this.#client = edgeClient(options.controlPlaneUrl);
    this.#file = join(options.dataDir, 'routes.json');
    this.#loadPersisted();
  }

  /**
   * The route serving environment `env` of `orgSlug`, if any. Both forwarders (HTTP/1.1 in
   * edge-server.ts, gRPC in edge-grpc.ts) look routes up here and only here, so anything that must
   * happen before a request is forwarded to an instance belongs in this one place.
   */
  routeFor(orgSlug: string, env: string): RouteLookup {
    const route = this.#byOrg.get(orgSlug);
    if (!route?.environments.includes(env)) return undefined;
    // Awake: the route itself, synchronously (the hot path allocates nothing here).
    return route.sleeping ? this.#hold(orgSlug) : route;
  }

  /** Requests waiting for a wake right now. */
  get held(): number {
    return this.#held;
  }

  #hold(orgSlug: string): Promise<Route> {
    if (this.#held >= (this.options.wakeQueue ?? 1_000))
      return Promise.reject(new WakeError('too many requests are waiting for instances to wake'));
    this.#held++;
    let wake = this.#waking.get(orgSlug);
    if (!wake) {
      wake = this.#wake(orgSlug).finally(() => this.#waking.delete(orgSlug));
      this.#waking.set(orgSlug, wake);
    }
    return wake.finally(() => this.#held--);
  }

  async #wake(orgSlug: string): Promise<Route> {
    const started = Date.now();
    const timeoutMs = this.options.wakeTimeoutMs ?? 15_000;
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${this.options.token}`);
    const route = await new Promise<Route>((resolve, reject) =>
      this.#client.Wake({ orgSlug }, md, { deadline: Date.now() + timeoutMs }, (e, v) => {
        if (v && !e) return resolve(v);
        const notFound = e?.code === grpc.status.NOT_FOUND;
        this.logger.warn({ org: orgSlug, err: e }, 'instance did not wake');
        reject(
          new WakeError(
            notFound ? 'no such environment' : 'environment waking up; retry in a moment',
            notFound,
          ),
        );
      }),
    );
    // Until the next refresh, this organisation's requests go straight to the woken instance.
    if (this.#byOrg.get(orgSlug)) this.#byOrg.set(orgSlug, route);
    this.logger.info({ org: orgSlug, ms: Date.now() - started }, 'instance woken');
    return route;
  }

  /** The route of `orgSlug`, if known. */
  get(orgSlug: string): Route | undefined {
    return this.#byOrg.get(orgSlug);
  }

  /** Version of the table in use ('' before any). */
  get version(): string {
    return this.#version;
  }

  /** Refreshes once now (resolves false when the control plane did not answer), then periodically. */
  async start(): Promise<boolean> {
    const ok = await this.refresh();
    this.#timer = setInterval(() => void this.refresh(), this.options.refreshMs);
    this.#timer.unref();
    return ok;
  }

  async refresh(): Promise<boolean> {
    try {
      const table = await this.#fetch();
      if (table.version !== this.#version) {
        this.#apply(table);
        this.#persist(table);
        this.logger.info(
          { version: table.version, organisations: table.routes.length },
          'route table updated',
        );
      }
      return true;
    } catch (e) {
      this.logger.debug({ err: e }, 'route table refresh failed; keeping the current table');
      return false;
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#client.close();
  }

  #fetch(): Promise<Table> {
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${this.options.token}`);
    return new Promise((resolve, reject) =>
      this.#client.GetRoutes({}, md, { deadline: Date.now() + 3_000 }, (e, v) =>
        e || !v ? reject(e ?? new Error('empty')) : resolve(v),
      ),
    );
  }

  #apply(table: Table): void {
    this.#byOrg = new Map(table.routes.map((r) => [r.orgSlug, r]));
    this.#version = table.version;
  }

  #persist(table: Table): void {
    try {
      mkdirSync(this.options.dataDir, { recursive: true });
      writeFileSync(`${this.#file}.tmp`, JSON.stringify(table));
      renameSync(`${this.#file}.tmp`, this.#file);
    } catch (e) {
      this.logger.warn({ err: e }, 'could not persist the route table');
    }
  }

  #loadPersisted(): void {
    try {
      const table = JSON.parse(readFileSync(this.#file, 'utf8')) as Table;
      if (Array.isArray(table.routes)) {
        this.#apply(table);
        this.logger.info(
          { version: table.version, organisations: table.routes.length },
          'loaded persisted route table',
        );
      }
    } catch {
      // first start: nothing persisted yet
    }
  }
}
