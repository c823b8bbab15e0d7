/**
 * The route table: organisation slug → (environment keys, instance base URL). Refreshed from the
 * control plane's EdgeService every `refreshMs`; each new version is persisted (tmp + rename) and
 * loaded at boot, so the edge keeps routing through a control-plane outage and a restart.
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

  constructor(
    private readonly options: {
      controlPlaneUrl: string;
      token: string;
      dataDir: string;
      refreshMs: number;
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
  routeFor(orgSlug: string, env: string): Route | undefined {
    const route = this.#byOrg.get(orgSlug);
    return route?.environments.includes(env) ? route : undefined;
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
