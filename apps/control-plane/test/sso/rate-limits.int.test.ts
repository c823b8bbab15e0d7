/**
 * Issue 10 item 11, through the real processes: two control-plane replicas listening on HTTP on one
 * database and one real Redis, a real dev IdP behind the organisations' SSO connections, clients on
 * distinct loopback source addresses (127.0.0.x), and a private redis-server that is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createPrismaClient } from '@switchyard/db';
import { Redis } from 'ioredis';
import type { DevIdp } from '@switchyard/dev-idp';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/config/config.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  idpOrigins,
  startIdps,
  startSsoApp,
  type SsoTestApp,
} from './sso-harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted field by field
interface Res {
  status: number;
  retryAfter: string | undefined;
  json: Json;
}

/** One real HTTP request from the loopback source address `ip`. */
function send(
  base: string,
  ip: string,
  method: string,
  path: string,
  pat?: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<Res> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = {
    ...(pat ? { authorization: `Bearer ${pat}` } : {}),
    ...(payload ? { 'content-type': 'application/json' } : {}),
    ...extra,
  };
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers, localAddress: ip }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          retryAfter: res.headers['retry-after'],
          json: text.startsWith('{') ? (JSON.parse(text) as Json) : {},
        }),
      );
    });
    req.on('error', reject);
    req.end(payload);
  });
}

interface Replicas {
  t: SsoTestApp;
  bases: [string, string];
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Two replicas (one database, one Redis key prefix); `t` is the first, with the org helpers. */
async function startReplicas(env: Record<string, string>): Promise<Replicas> {
  // Both replicas allow-list the loopback IdP's exact origin, as an operator would.
  const shared = {
    GIT_DATA_DIR: dataDir,
    RATE_LIMIT_KEY_PREFIX: `rl-test-${randomUUID()}`,
    OUTBOUND_ALLOWED_ORIGINS: [...idpOrigins].join(','),
    ...env,
  };
  const t = await startSsoApp(shared);
  const logs: Record<string, unknown>[] = [];
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: t.config.databaseUrl,
    PUBLIC_URL: t.config.publicUrl,
    LOG_LEVEL: 'info',
    ...shared,
  });
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const second: NestFastifyApplication = await createApp(config, {
    db: createPrismaClient({ databaseUrl: t.config.databaseUrl, maxConnections: 2 }),
    logger,
  });
  await t.app.listen(0, '127.0.0.1');
  await second.listen(0, '127.0.0.1');
  const url = async (app: NestFastifyApplication) =>
    (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    t,
    bases: [await url(t.app), await url(second)],
    logs,
    async close() {
      await second.close();
      await t.close();
    },
  };
}

let idps: Record<string, DevIdp>;
let dataDir: string;
let r: Replicas | undefined;
beforeAll(async () => {
  idps = await startIdps(['okta']);
  dataDir = await mkdtemp(join(tmpdir(), 'cp-rl-'));
});
afterAll(async () => {
  for (const idp of Object.values(idps ?? {})) await idp.close();
  await rm(dataDir, { recursive: true, force: true });
});
afterEach(async () => {
  await r?.close();
  r = undefined;
});

/** An org with an owner PAT, a hosted environment and an SSO connection at the dev IdP. */
async function orgWithSso(
  replicas: Replicas,
  slug: string,
): Promise<{ pat: string; connectionId: string }> {
  const pat = (await replicas.t.org(slug, { [`owner@${slug}.test`]: 'OWNER' })).pats[
    `owner@${slug}.test`
  ]!;
  const env = await replicas.t.api(pat, 'POST', `/api/v1/orgs/${slug}/environments`, {
    key: 'prod',
    name: 'Prod',
  });
  expect(env.status).toBe(201);
  const conn = await replicas.t.api(pat, 'POST', `/api/v1/orgs/${slug}/sso-connections`, {
    kind: 'OKTA',
    name: slug,
    issuer: idps['okta']!.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  });
  expect(conn.status).toBe(201);
  return { pat, connectionId: conn.json.id as string };
}

const login = (connectionId: string) =>
  `/api/v1/auth/login?connection=${connectionId}&returnTo=%2F`;
const rateLimited = (replicas: Replicas) =>
  [...replicas.t.logs, ...replicas.logs].filter((l) => l['event'] === 'auth.rate_limited');

function expectRefused(res: Res, message: RegExp): void {
  expect(res.status).toBe(429);
  expect(res.json).toEqual({
    code: 'ResourceExhausted',
    message: expect.stringMatching(message),
    details: [],
  });
  expect(Number(res.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(res.retryAfter)).toBeLessThanOrEqual(60);
}

describe('issue 10 item 11: rate limits per IP and per organisation, shared by replicas', () => {
  it('/api/v1/auth/*: the per-IP budget is shared by two replicas, and an org connection has its own budget across IPs', async () => {
    r = await startReplicas({
      AUTH_RATE_LIMIT_PER_MINUTE: '4',
      AUTH_RATE_LIMIT_PER_CONNECTION_PER_MINUTE: '6',
    });
    const [one, two] = r.bases;
    const x = await orgWithSso(r, 'x');
    const y = await orgWithSso(r, 'y');

    // 127.0.0.2 alternates between the replicas: 4 in total pass, the 5th is refused by both.
    for (let i = 0; i < 4; i++)
      expect(
        (await send(i % 2 ? two : one, '127.0.0.2', 'GET', login(x.connectionId))).status,
      ).toBe(302);
    expectRefused(await send(one, '127.0.0.2', 'GET', login(x.connectionId)), /from this address/);
    expectRefused(await send(two, '127.0.0.2', 'GET', login(y.connectionId)), /from this address/);
    expect(rateLimited(r)).toEqual([
      expect.objectContaining({ dimension: 'ip', ip: '127.0.0.2', bucket: 'auth' }),
    ]);

    // Connection x has had 4 of its 6; another address brings it to 6, then x is closed to every address ...
    for (let i = 0; i < 2; i++)
      expect((await send(two, '127.0.0.3', 'GET', login(x.connectionId))).status).toBe(302);
    expectRefused(
      await send(one, '127.0.0.3', 'GET', login(x.connectionId)),
      /for this SSO connection/,
    );
    expectRefused(
      await send(two, '127.0.0.4', 'GET', login(x.connectionId)),
      /for this SSO connection/,
    );
    // ... while organisation y's connection still answers the same address.
    expect((await send(one, '127.0.0.4', 'GET', login(y.connectionId))).status).toBe(302);
    expect(rateLimited(r)).toContainEqual(
      expect.objectContaining({ dimension: 'connection', scope: x.connectionId }),
    );
  });

  it('credential minting: per IP, per organisation (client tokens) and per user (PATs), shared by two replicas', async () => {
    r = await startReplicas({
      TOKEN_RATE_LIMIT_PER_MINUTE: '3',
      TOKEN_RATE_LIMIT_PER_SCOPE_PER_MINUTE: '4',
    });
    const [one, two] = r.bases;
    const x = await orgWithSso(r, 'x');
    const y = await orgWithSso(r, 'y');
    const mint = (base: string, ip: string, org: { pat: string }) =>
      send(base, ip, 'POST', `/api/v1/orgs/${org === x ? 'x' : 'y'}/client-tokens`, org.pat, {
        name: 'sdk',
        environments: ['prod'],
      });

    for (let i = 0; i < 3; i++)
      expect((await mint(i % 2 ? two : one, '127.0.0.2', x)).status).toBe(201);
    expectRefused(await mint(two, '127.0.0.2', x), /token requests from this address/);
    // Organisation x's fourth token comes from another address; then x is closed, y is not.
    expect((await mint(one, '127.0.0.3', x)).status).toBe(201);
    expectRefused(await mint(two, '127.0.0.4', x), /for this organisation/);
    expect((await mint(two, '127.0.0.4', y)).status).toBe(201);
    expect(await r.t.db.clientToken.count({ where: { org: { slug: 'x' } } })).toBe(4);

    // PATs: the same per-IP budget, and a per-user one.
    const pat = (base: string, ip: string) =>
      send(base, ip, 'POST', '/api/v1/me/tokens', y.pat, { name: 'ci' });
    for (let i = 0; i < 3; i++)
      expect((await pat(i % 2 ? two : one, '127.0.0.5')).status).toBe(201);
    expectRefused(await pat(one, '127.0.0.5'), /token requests from this address/);
    expect((await pat(two, '127.0.0.6')).status).toBe(201);
    expectRefused(await pat(one, '127.0.0.7'), /for this account/);
    expect(
      rateLimited(r)
        .map((l) => `${String(l['bucket'])}:${String(l['dimension'])}`)
        .sort(),
    ).toEqual(['token:ip', 'token:ip', 'token:org', 'token:user']);
  });
});

describe('issue 10 item 11: the client address behind a reverse proxy', () => {
  it('X-Forwarded-For counts only from a trusted proxy; anyone else is counted by socket address', async () => {
    r = await startReplicas({ AUTH_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1' });
    const [one, two] = r.bases;
    const x = await orgWithSso(r, 'x');
    const via = (client: string) => ({ 'x-forwarded-for': client });
    // Two clients behind the trusted proxy have a budget each.
    for (let i = 0; i < 2; i++)
      expect(
        (
          await send(
            i ? two : one,
            '127.0.0.1',
            'GET',
            login(x.connectionId),
            undefined,
            undefined,
            via('198.51.100.7'),
          )
        ).status,
      ).toBe(302);
    expectRefused(
      await send(
        one,
        '127.0.0.1',
        'GET',
        login(x.connectionId),
        undefined,
        undefined,
        via('198.51.100.7'),
      ),
      /from this address/,
    );
    expect(
      (
        await send(
          two,
          '127.0.0.1',
          'GET',
          login(x.connectionId),
          undefined,
          undefined,
          via('198.51.100.8'),
        )
      ).status,
    ).toBe(302);
    expect(rateLimited(r)).toEqual([
      expect.objectContaining({ dimension: 'ip', ip: '198.51.100.7' }),
    ]);
    // A client that is not the proxy cannot pick its address with the header.
    for (const spoof of ['203.0.113.1', '203.0.113.2'])
      expect(
        (
          await send(
            one,
            '127.0.0.9',
            'GET',
            login(x.connectionId),
            undefined,
            undefined,
            via(spoof),
          )
        ).status,
      ).toBe(302);
    expectRefused(
      await send(
        two,
        '127.0.0.9',
        'GET',
        login(x.connectionId),
        undefined,
        undefined,
        via('203.0.113.3'),
      ),
      /from this address/,
    );
  });
});

describe('issue 10 item 11: rate limits while Redis is down', () => {
  let redis: ChildProcess | undefined;
  let port: number;
  const startRedis = async () => {
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const probe = new Redis(port, '127.0.0.1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    await expect
      .poll(
        async () => {
          try {
            if (probe.status !== 'ready') await probe.connect();
            return await probe.ping();
          } catch {
            return 'down';
          }
        },
        { timeout: 10_000 },
      )
      .toBe('PONG');
    probe.disconnect();
  };
  const stopRedis = async () => {
    const child = redis;
    redis = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise((resolve) => child.once('exit', resolve).kill('SIGKILL'));
  };
  afterEach(stopRedis);

  it('fails open to per-replica counters with the same budgets, says so, and shares again when Redis is back', async () => {
    port = await freePort();
    await startRedis();
    r = await startReplicas({
      REDIS_URL: `redis://127.0.0.1:${port}`,
      AUTH_RATE_LIMIT_PER_MINUTE: '3',
    });
    const [one, two] = r.bases;
    const x = await orgWithSso(r, 'x');
    expect((await send(one, '127.0.0.2', 'GET', login(x.connectionId))).status).toBe(302);

    await stopRedis();
    // Logins still work; each replica now counts on its own, with the same budget per IP.
    for (let i = 0; i < 3; i++)
      expect((await send(two, '127.0.0.3', 'GET', login(x.connectionId))).status).toBe(302);
    expectRefused(await send(two, '127.0.0.3', 'GET', login(x.connectionId)), /from this address/);
    expect((await send(one, '127.0.0.3', 'GET', login(x.connectionId))).status).toBe(302);
    expect(r.logs.filter((l) => l['event'] === 'rate_limit.degraded')).toHaveLength(1);

    await startRedis();
    await expect
      .poll(() => r!.logs.some((l) => l['event'] === 'rate_limit.restored'), { timeout: 15_000 })
      .toBe(true);
    await expect
      .poll(() => r!.t.logs.some((l) => l['event'] === 'rate_limit.restored'), { timeout: 15_000 })
      .toBe(true);
    // Shared again (a fresh Redis: counting restarts): 3 through both replicas, then refused by both.
    for (let i = 0; i < 3; i++)
      expect(
        (await send(i % 2 ? two : one, '127.0.0.4', 'GET', login(x.connectionId))).status,
      ).toBe(302);
    expectRefused(await send(one, '127.0.0.4', 'GET', login(x.connectionId)), /from this address/);
  }, 60_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
