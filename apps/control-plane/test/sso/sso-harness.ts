import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  createPrismaClient,
  migrate,
  MIGRATIONS_DIR,
  type Database,
  type Role,
} from '@switchyard/db';
import { startDevIdp, type DevIdp, type DevIdpProfile, type DevIdpUser } from '@switchyard/dev-idp';
import { createTestDatabase, type TestDatabase } from '@switchyard/testing';
import { pino } from 'pino';
import { createApp } from '../../src/app.factory.js';
import { PatsService } from '../../src/auth/pats.service.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';

/** Public URL of the control plane in these tests (requests to it go through Fastify inject). */
export const PUBLIC_URL = 'https://cp.switchyard.test';
export const CLIENT_ID = 'switchyard';
export const CLIENT_SECRET = 'switchyard-client-secret';
export const CONSOLE_ORIGIN = 'https://console.switchyard.test';

/**
 * Exact origins of the dev-idps this test file started: the loopback IdPs are reachable only
 * because they are allow-listed (OUTBOUND_ALLOWED_ORIGINS), exactly as an operator would do.
 */
export const idpOrigins = new Set<string>();

/**
 * A second, independent dev-idp run by an organisation (e.g. an attacker's IdP claiming another tenant's e-mail): its
 * own port and issuer, and users whose e-mail claims the test chooses.
 */
export async function startOrgIdp(users: readonly DevIdpUser[]): Promise<DevIdp> {
  const idp = await startDevIdp({
    profile: 'generic',
    users,
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: [`${PUBLIC_URL}/api/v1/auth/callback/*`],
        postLogoutRedirectUris: [`${PUBLIC_URL}/`],
      },
    ],
  });
  idpOrigins.add(new URL(idp.issuer).origin);
  return idp;
}

/** One dev-idp per profile, shared by a test file (they hold no per-test state unless a test sets a hook). */
export async function startIdps(
  profiles: readonly DevIdpProfile[],
): Promise<Record<string, DevIdp>> {
  const out: Record<string, DevIdp> = {};
  for (const profile of profiles) {
    out[profile] = await startDevIdp({
      profile,
      clients: [
        {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUris: [`${PUBLIC_URL}/api/v1/auth/callback/*`],
          postLogoutRedirectUris: [`${PUBLIC_URL}/`],
        },
      ],
    });
    idpOrigins.add(new URL(out[profile].issuer).origin);
  }
  return out;
}

export interface HttpResult {
  status: number;
  location: string | null;
  /** The Location header exactly as sent (before resolving it against the request URL). */
  rawLocation: string | null;
  setCookies: string[];
  body: string;
}

/** A browser: one cookie jar per host, redirects followed by hand so each hop can be inspected. */
export class Browser {
  readonly jar = new Map<string, Map<string, string>>();
  /** Send what a browser sends on a top-level navigation (refused logins then redirect to `/login?error=…`). */
  navigate = false;

  /** `origin`: send requests for PUBLIC_URL over real HTTP to this listening app (like a TLS-terminating proxy) instead of injecting them. */
  constructor(
    private readonly app: NestFastifyApplication,
    private readonly ip = '127.0.0.1',
    private readonly origin?: string,
  ) {}

  cookies(url: string): Map<string, string> {
    const host = new URL(url).host;
    let jar = this.jar.get(host);
    if (!jar) this.jar.set(host, (jar = new Map()));
    return jar;
  }

  private store(url: string, setCookies: string[]): void {
    const jar = this.cookies(url);
    for (const c of setCookies) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) jar.delete(name);
      else jar.set(name, pair!.slice(eq + 1).trim());
    }
  }

  async request(
    url: string,
    init: {
      method?: 'GET' | 'POST';
      form?: Record<string, string>;
      headers?: Record<string, string>;
    } = {},
  ): Promise<HttpResult> {
    const cookie = [...this.cookies(url)].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers: Record<string, string> = {
      ...(cookie ? { cookie } : {}),
      'user-agent': 'sso-test',
      ...(this.navigate ? { 'sec-fetch-mode': 'navigate', accept: 'text/html' } : {}),
      ...init.headers,
    };
    const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    let result: HttpResult;
    if (url.startsWith(PUBLIC_URL) && this.origin === undefined) {
      const u = new URL(url);
      const res = await this.app.inject({
        method: init.method ?? 'GET',
        url: `${u.pathname}${u.search}`,
        headers,
        remoteAddress: this.ip,
        ...(body ? { payload: body } : {}),
      });
      const sc = res.headers['set-cookie'];
      result = {
        status: res.statusCode,
        location: res.headers['location'] ?? null,
        rawLocation: res.headers['location'] ?? null,
        setCookies: sc === undefined ? [] : Array.isArray(sc) ? sc : [String(sc)],
        body: res.body,
      };
    } else {
      const target =
        url.startsWith(PUBLIC_URL) && this.origin !== undefined
          ? `${this.origin}${url.slice(PUBLIC_URL.length)}`
          : url;
      const res = await fetch(target, {
        method: init.method ?? 'GET',
        headers,
        redirect: 'manual',
        ...(body ? { body } : {}),
      });
      result = {
        status: res.status,
        location: res.headers.get('location'),
        rawLocation: res.headers.get('location'),
        setCookies: res.headers.getSetCookie(),
        body: await res.text(),
      };
    }
    this.store(url, result.setCookies);
    if (result.location) result.location = new URL(result.location, url).href;
    return result;
  }

  /**
   * Starts a login on the control plane and signs in at the dev-idp as `user`; returns the
   * authorization response URL (the callback) without following it, so tests can tamper with it.
   */
  async authorize(
    connection: string,
    user: string,
    returnTo = '/welcome',
    extraQuery = '',
  ): Promise<string> {
    const start = await this.request(
      `${PUBLIC_URL}/api/v1/auth/login?connection=${connection}&returnTo=${encodeURIComponent(returnTo)}${extraQuery}`,
    );
    if (start.status !== 302 || !start.location)
      throw new Error(`login start: ${start.status} ${start.body}`);
    let res = await this.request(start.location);
    let location = res.location;
    for (let hops = 0; location && hops < 10; hops++) {
      if (location.startsWith(PUBLIC_URL)) return location;
      if (/\/interaction\/[^/]+$/.test(location)) {
        await this.request(location);
        res = await this.request(`${location}/login`, { method: 'POST', form: { login: user } });
      } else {
        res = await this.request(location);
      }
      location = res.location;
    }
    throw new Error(`the IdP did not redirect back: ${res.status} ${res.body.slice(0, 300)}`);
  }

  /** Full login: authorize, then follow the callback. */
  async login(connection: string, user: string, returnTo = '/welcome'): Promise<HttpResult> {
    return this.request(await this.authorize(connection, user, returnTo));
  }
}

export interface SsoTestApp {
  app: NestFastifyApplication;
  db: Database;
  config: AppConfig;
  /** Every log line of the app, parsed. */
  logs: Record<string, unknown>[];
  browser(ip?: string): Browser;
  /** An organisation with members (email → role); returns a PAT per email. */
  org(
    slug: string,
    members: Record<string, Role>,
  ): Promise<{ id: string; slug: string; pats: Record<string, string> }>;
  /** Calls the API with a bearer PAT. */
  api(
    pat: string,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<{ status: number; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted field by field
  failures(): Record<string, unknown>[];
  /**
   * Fixture for tests that are not about domain verification: records `domain` as verified by the
   * organisation, as if its TXT record had been checked (account-takeover.int.test.ts checks it for real).
   */
  verifiedDomain(orgId: string, domain: string): Promise<void>;
  close(): Promise<void>;
}

const migrateTemplate = (url: string) =>
  migrate({ databaseUrl: url, migrationsDir: MIGRATIONS_DIR }).then(() => undefined);

/** A control plane on a fresh database with its logs captured. */
export async function startSsoApp(env: Record<string, string> = {}): Promise<SsoTestApp> {
  const database: TestDatabase = await createTestDatabase({
    migrationsDir: MIGRATIONS_DIR,
    migrate: migrateTemplate,
  });
  const outbound = { OUTBOUND_ALLOWED_ORIGINS: [...idpOrigins].join(',') };
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    LOG_LEVEL: 'info',
    ALLOWED_ORIGINS: CONSOLE_ORIGIN,
    PUBLIC_URL,
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    TOKEN_RATE_LIMIT_PER_MINUTE: '10000',
    TOKEN_RATE_LIMIT_PER_SCOPE_PER_MINUTE: '10000',
    ...outbound,
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const app = await createApp(config, {
    db: createPrismaClient({ databaseUrl: database.url, maxConnections: 4 }),
    logger,
  });
  const db = createPrismaClient({ databaseUrl: database.url, maxConnections: 2 });
  return {
    app,
    db,
    config,
    logs,
    browser: (ip) => new Browser(app, ip),
    async org(slug, members) {
      const org = await db.organisation.create({ data: { slug, name: slug } });
      const pats: Record<string, string> = {};
      for (const [email, role] of Object.entries(members)) {
        const user = await db.user.upsert({ where: { email }, create: { email }, update: {} });
        await db.membership.create({ data: { orgId: org.id, userId: user.id, role } });
        const ctx = {
          principal: { userId: user.id, email, via: 'system' as const },
          requestId: 'test',
        };
        pats[email] = (await app.get(PatsService).issue(ctx, user.id, { name: 'test' })).token;
      }
      return { id: org.id, slug, pats };
    },
    async api(pat, method, url, body) {
      const res = await app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${pat}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      return { status: res.statusCode, json: res.body ? JSON.parse(res.body) : undefined };
    },
    failures: () => logs.filter((l) => l['event'] === 'auth.failure'),
    async verifiedDomain(orgId, domain) {
      await db.orgDomain.create({
        data: { orgId, domain, token: 'fixture', verifiedDomain: domain, verifiedAt: new Date() },
      });
    },
    async close() {
      await app.close();
      await db.$disconnect();
      await database.drop();
    },
  };
}
