import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  createPrismaClient,
  migrate,
  MIGRATIONS_DIR,
  type Database,
  type Role,
} from '@switchyard/db';
import { createTestDatabase, type TestDatabase } from '@switchyard/testing';
import { pino } from 'pino';
import { createApp } from '../src/app.factory.js';
import { SessionsService } from '../src/auth/sessions.service.js';
import { PatsService } from '../src/auth/pats.service.js';
import { loadConfig, type AppConfig } from '../src/config/config.js';
import { RouteTableService, type RouteEntry } from '../src/openapi/route-table.js';

/** Test origin allowed for cookie mutations. */
export const CONSOLE_ORIGIN = 'https://console.switchyard.test';

/** A caller: a bearer PAT, a cookie session (+ CSRF token), or nobody. */
export type Caller =
  | { kind: 'pat'; token: string; userId: string }
  | { kind: 'session'; cookie: string; csrf: string; userId: string }
  | { kind: 'anonymous' };

export interface InjectOptions {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  json: any;
}

/** A running control plane on its own fresh database. */
export interface TestApp {
  app: NestFastifyApplication;
  /** Separate client for arranging and asserting. */
  db: Database;
  config: AppConfig;
  database: TestDatabase;
  call(caller: Caller, options: InjectOptions): Promise<Response>;
  user(email: string): Promise<{ id: string; pat: Caller & { kind: 'pat' } }>;
  session(userId: string): Promise<Caller & { kind: 'session' }>;
  /** Creates an organisation with the given members (email → role) and returns PAT callers per email. */
  /**
   * Another replica of this control plane: its own Nest app and database pool on the same
   * database, data directory, Redis and change-event channel (closed with this app).
   */
  replica(): Promise<NestFastifyApplication>;
  org(
    slug: string,
    members: Record<string, Role>,
  ): Promise<{ id: string; slug: string; callers: Record<string, Caller & { kind: 'pat' }> }>;
  close(): Promise<void>;
}

const migrateTemplate = (url: string) =>
  migrate({ databaseUrl: url, migrationsDir: MIGRATIONS_DIR }).then(() => undefined);

export async function startApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase({
    migrationsDir: MIGRATIONS_DIR,
    migrate: migrateTemplate,
  });
  // Each test app has its own data directory (hosted repositories), removed with it.
  const dataDir = await mkdtemp(join(tmpdir(), 'sy-cp-data-'));
  // Suites mint many tokens from one address; the rate-limit suite sets its own budgets.
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    ALLOWED_ORIGINS: CONSOLE_ORIGIN,
    SWITCHYARD_DATA_DIR: dataDir,
    TOKEN_RATE_LIMIT_PER_MINUTE: '10000',
    TOKEN_RATE_LIMIT_PER_SCOPE_PER_MINUTE: '10000',
    ...env,
  });
  const app = await createApp(config, {
    db: createPrismaClient({ databaseUrl: database.url, maxConnections: 4 }),
    logger: pino({ level: 'silent' }),
  });
  const db = createPrismaClient({ databaseUrl: database.url, maxConnections: 2 });
  const users = new Map<string, { id: string; pat: Caller & { kind: 'pat' } }>();
  // Every successful response is checked against the route's declared (and documented) schema.
  const contracts = app
    .get(RouteTableService)
    .routes()
    .map((r) => ({
      route: r,
      pattern: new RegExp(`^${r.path.replace(/:[A-Za-z0-9_]+/g, '[^/]+')}$`),
    }));
  const checkContract = (method: string, url: string, status: number, json: unknown) => {
    const path = url.split('?')[0]!;
    const match = contracts.find((c) => c.route.method === method && c.pattern.test(path));
    const route: RouteEntry | undefined = match?.route;
    if (!route || status >= 300) return;
    if (status !== (route.spec?.status ?? 200))
      throw new Error(
        `${method} ${url}: status ${status}, documented ${route.spec?.status ?? 200}`,
      );
    const schema = route.spec?.response;
    if (!schema) return;
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new Error(
        `${method} ${url}: response does not match its documented schema: ${parsed.error.message}`,
      );
  };

  const call: TestApp['call'] = async (caller, options) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (caller.kind === 'pat') headers['authorization'] = `Bearer ${caller.token}`;
    if (caller.kind === 'session') {
      headers['cookie'] = caller.cookie;
      if (options.method !== 'GET') {
        headers['x-csrf-token'] ??= caller.csrf;
        headers['origin'] ??= CONSOLE_ORIGIN;
      }
    }
    const res = await app.inject({
      method: options.method,
      url: options.url,
      headers:
        options.body !== undefined ? { 'content-type': 'application/json', ...headers } : headers,
      ...(options.body !== undefined
        ? {
            payload: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
          }
        : {}),
    });
    const json: unknown = res.body ? JSON.parse(res.body) : undefined;
    checkContract(options.method, options.url, res.statusCode, json);
    return { status: res.statusCode, headers: res.headers, json };
  };

  const user: TestApp['user'] = async (email) => {
    const known = users.get(email);
    if (known) return known;
    const row = await db.user.upsert({ where: { email }, create: { email }, update: {} });
    const ctx = { principal: { userId: row.id, email, via: 'system' as const }, requestId: 'test' };
    const pat = await app.get(PatsService).issue(ctx, row.id, { name: 'test' });
    const entry = { id: row.id, pat: { kind: 'pat' as const, token: pat.token, userId: row.id } };
    users.set(email, entry);
    return entry;
  };

  const replicas: NestFastifyApplication[] = [];
  return {
    app,
    db,
    config,
    database,
    call,
    user,
    async replica() {
      const other = await createApp(config, {
        db: createPrismaClient({ databaseUrl: database.url, maxConnections: 4 }),
        logger: pino({ level: 'silent' }),
      });
      replicas.push(other);
      return other;
    },
    async session(userId) {
      const s = await app.get(SessionsService).create(userId);
      return {
        kind: 'session',
        cookie: `__Host-switchyard_session=${s.secret}`,
        csrf: s.csrfToken,
        userId,
      };
    },
    async org(slug, members) {
      const org = await db.organisation.create({ data: { slug, name: slug } });
      const callers: Record<string, Caller & { kind: 'pat' }> = {};
      for (const [email, role] of Object.entries(members)) {
        const u = await user(email);
        await db.membership.create({ data: { orgId: org.id, userId: u.id, role } });
        callers[email] = u.pat;
      }
      return { id: org.id, slug, callers };
    },
    async close() {
      for (const r of replicas) await r.close();
      await app.close();
      await db.$disconnect();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const anonymous: Caller = { kind: 'anonymous' };
